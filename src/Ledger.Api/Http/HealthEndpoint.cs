using Ledger.Api.Database;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Http;

/// <summary>Counts the event store for <c>/health</c>; a service of its own so that a test can make the database fail.</summary>
public class HealthProbe(IDocumentStore store)
{
    public virtual async Task<(long Events, long Streams)> CountAsync(CancellationToken ct)
    {
        var stats = await store.Advanced.FetchEventStoreStatistics(token: ct);
        return (stats.EventCount, stats.StreamCount);
    }
}

/// <summary>What <c>/health</c> answers: <c>status</c> alone without a key; with one, the database's state and which it is.</summary>
public sealed record HealthResponse(string Status, string? Database = null, long? Events = null, long? Streams = null,
    string? DatabaseSource = null, string? DatabaseServer = null, string? Error = null);

public static class HealthEndpoint
{
    /// <summary>
    /// Public, so a probe needs no key, but it says only <c>status</c> to a caller without one: which server, where its
    /// data lie and why it fails help an attacker more than a load balancer. Any valid key (any role) gets the details.
    /// </summary>
    [EndpointSummary("Whether the service and its database answer: only status without a key; with any key also how many events it holds and which database is in use (no secrets).")]
    [ResponseExample("""{"status":"ok","database":"ok","events":7237,"streams":32,"databaseSource":"embedded","databaseServer":"127.0.0.1:38107/ledger (/var/lib/ledger/pg)"}""")]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK, "application/json")]
    [WolverineGet("/health")]
    [AllowAnonymous]
    public static async Task<IResult> Get(HttpContext http, HealthProbe probe, LedgerDatabase database, ILoggerFactory logs, CancellationToken ct)
    {
        var detailed = http.User.Identity?.IsAuthenticated == true;
        try
        {
            var (events, streams) = await probe.CountAsync(ct);
            return Results.Json(detailed
                ? new HealthResponse("ok", "ok", events, streams, database.Source, database.Description)
                : new HealthResponse("ok"), Problems.Json);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or Marten.Exceptions.MartenException or System.Net.Sockets.SocketException)
        {
            // The operator finds the reason in the log, under the request's correlation id.
            logs.CreateLogger("Ledger.Health").LogWarning(e, "The database did not answer the health check");
            return Results.Json(detailed
                ? new HealthResponse("degraded", "unreachable", DatabaseSource: database.Source, DatabaseServer: database.Description, Error: e.Message)
                : new HealthResponse("degraded"), Problems.Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
