using System.Globalization;
using Ledger.Api.Http;
using Marten;

namespace Ledger.Api.Database;

/// <summary>
/// While the views are rebuilt they are incomplete: a figure that exists would read as 404, a statement as half of
/// itself. So every /api request is answered 503 with Retry-After until the rebuild is done, whether it runs in this
/// process (the admin endpoint) or in another (the <c>rebuild</c> command, another API node): the mark it leaves
/// in the database is looked at once per <see cref="RecheckEvery"/> at most, so the gate costs the read path nothing.
/// </summary>
public sealed class RebuildGate(IDocumentStore store)
{
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromMilliseconds(500);

    // Monotonic milliseconds: the cache must not depend on the wall clock.
    private sealed record Seen(long AtMs, bool Rebuilding);
    private Seen _seen = new(long.MinValue / 2, false);
    private string? _database;

    public async ValueTask<bool> IsRebuildingAsync(CancellationToken ct)
    {
        if (ProjectionRebuild.InProgressHere(_database ??= ProjectionRebuild.DatabaseOf(store))) return true;
        var seen = _seen;
        var now = Environment.TickCount64;
        if (now - seen.AtMs < (long)RecheckEvery.TotalMilliseconds) return seen.Rebuilding;
        await using var query = store.QuerySession();
        var stored = await query.LoadAsync<StoredViewsVersion>("views", ct);
        _seen = seen = new Seen(now, stored?.RebuildStartedAt is not null);
        return seen.Rebuilding;
    }
}

public static class RebuildGateMiddleware
{
    public static void UseRebuildGate(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/api/disclosures/schema")
            && await http.RequestServices.GetRequiredService<RebuildGate>().IsRebuildingAsync(http.RequestAborted))
        {
            http.Response.Headers.RetryAfter = "5";
            await Problems.Result(Problems.Of(StatusCodes.Status503ServiceUnavailable, "The views are being rebuilt",
                "Every view is being rebuilt from the event log and is incomplete until that ends; retry in a few seconds.")
                with { RetryAfterSeconds = 5 }).ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}
