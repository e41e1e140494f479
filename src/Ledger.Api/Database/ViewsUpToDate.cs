using Marten;

namespace Ledger.Api.Database;

/// <summary>At start, before the seeds load: views stored by a build with another shape are rebuilt from the events.</summary>
public sealed class ViewsUpToDate(IDocumentStore store, TimeProvider clock, ILogger<ViewsUpToDate> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct) =>
        ProjectionRebuild.EnsureCurrentAsync(store, clock, m => log.LogWarning("{Message}", m), ct);

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
