using Ledger.Api.Database;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Database;

/// <summary>What a rebuild did: each view and its time, and the whole rebuild's time (the views are rebuilt at the same time).</summary>
public sealed record RebuildResponse(IReadOnlyList<RebuiltProjection> Rebuilt, double Seconds);

public static class AdminEndpoints
{
    /// <summary>Rebuilds every projection from the event log (admin keys only).</summary>
    [EndpointSummary("Rebuilds every projection from the event log (admin keys only).")]
    [ResponseExample("""{"rebuilt":[{"projection":"StatedValues","seconds":0.81}],"seconds":1.16}""")]
    [WolverinePost("/api/admin/rebuild")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<RebuildResponse> Rebuild(IDocumentStore store, CancellationToken ct)
    {
        // The whole rebuild's time, not the views' sum: the views are rebuilt at the same time.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rebuilt = await ProjectionRebuild.RunAsync(store, ct);
        return new RebuildResponse(rebuilt, watch.Elapsed.TotalSeconds);
    }
}
