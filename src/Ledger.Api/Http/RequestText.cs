using Ledger.Domain.Ingestion;

namespace Ledger.Api.Http;

/// <summary>
/// Route and query values reach SQL as parameters and the log as text. A control character in them (NUL, which
/// PostgreSQL refuses in text, or any other) names nothing in the ledger: it is bad input, a 400 naming the
/// parameter, never a 500 from the database.
/// </summary>
public static class RequestText
{
    public static void UseRequestTextCheck(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (PackageText.FirstForbidden(http.Request.Path.Value ?? "", allowLineBreaks: false) is not null)
        {
            await Problems.BadRequest("path", "holds a control character; no entity, concept or period has one").ExecuteAsync(http);
            return;
        }
        foreach (var (key, values) in http.Request.Query)
        {
            if (PackageText.FirstForbidden(key, allowLineBreaks: false) is not null)
            {
                await Problems.BadRequest("query", "a parameter name holds a control character").ExecuteAsync(http);
                return;
            }
            if (values.Any(v => v is not null && PackageText.FirstForbidden(v, allowLineBreaks: false) is not null))
            {
                await Problems.BadRequest(key, "holds a control character; no entity, concept, period or date has one").ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    });
}
