using System.Text.RegularExpressions;

namespace Ledger.Api.Http;

/// <summary>
/// Every request has a correlation id: the caller's <c>X-Correlation-Id</c> when it is a sensible token,
/// otherwise a new one. It is echoed in the response, recorded on every event the request writes, and quoted
/// in error documents, so that an auditor can tie a figure's history entry to the request that made it.
/// </summary>
public static partial class CorrelationIds
{
    public const string Header = "X-Correlation-Id";
    private const string ItemKey = "ledger.correlation-id";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex Acceptable();

    public static string Of(HttpContext http) => http.Items[ItemKey] as string ?? Assign(http);

    public static void UseCorrelationIds(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ledger.Requests");
        app.Use(async (http, next) =>
        {
            // Every log line of the request, the unhandled-exception one included, carries the id. A message-template
            // scope, because the console formatter prints a scope with ToString(): "CorrelationId:…", where a dictionary
            // printed its type name; structured providers still get the CorrelationId property.
            using (log.BeginScope("CorrelationId:{CorrelationId}", Assign(http)))
                await next(http);
        });
    }

    private static string Assign(HttpContext http)
    {
        var sent = http.Request.Headers[Header].ToString();
        var id = Acceptable().IsMatch(sent) ? sent : Guid.NewGuid().ToString("N");
        http.Items[ItemKey] = id;
        http.Response.Headers[Header] = id;
        return id;
    }
}
