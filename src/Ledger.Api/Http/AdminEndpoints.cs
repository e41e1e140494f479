using Ledger.Api.Database;
using Marten;
using Wolverine.Http;

namespace Ledger.Api.Http;

public static class AdminEndpoints
{
    /// <summary>
    /// Rebuilds every projection from the event log. Admin only: until API keys and roles exist, the caller
    /// must send X-Admin-Key equal to Ledger:AdminKey, and with no key configured the endpoint is closed.
    /// </summary>
    [WolverinePost("/api/admin/rebuild")]
    public static async Task<IResult> Rebuild(HttpRequest request, IDocumentStore store, IConfiguration configuration, CancellationToken ct)
    {
        var key = configuration["Ledger:AdminKey"];
        if (string.IsNullOrEmpty(key))
            return Problems.Result(StatusCodes.Status403Forbidden, "Forbidden", "Rebuilding is closed: no Ledger:AdminKey is configured.");
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(request.Headers["X-Admin-Key"].ToString()), System.Text.Encoding.UTF8.GetBytes(key)))
            return Problems.Result(StatusCodes.Status403Forbidden, "Forbidden", "X-Admin-Key is missing or wrong.");
        var rebuilt = await ProjectionRebuild.RunAsync(store, ct);
        return Results.Json(new { rebuilt, seconds = rebuilt.Sum(r => r.Seconds) }, Problems.Json);
    }
}
