using Ledger.Api.Database;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Http;

public static class HealthEndpoint
{
    /// <summary>Whether the database answers, how many events it holds, and which database it is (no secrets).</summary>
    [WolverineGet("/health")]
    [AllowAnonymous]
    public static async Task<IResult> Get(IDocumentStore store, LedgerDatabase database, CancellationToken ct)
    {
        try
        {
            var stats = await store.Advanced.FetchEventStoreStatistics(token: ct);
            return Results.Json(new
            {
                status = "ok", database = "ok", events = stats.EventCount, streams = stats.StreamCount,
                databaseSource = database.Source, databaseServer = database.Description,
            }, Problems.Json);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return Results.Json(new
            {
                status = "degraded", database = "unreachable", error = e.Message,
                databaseSource = database.Source, databaseServer = database.Description,
            }, Problems.Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
