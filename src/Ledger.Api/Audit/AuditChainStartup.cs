using Marten;

namespace Ledger.Api.Audit;

/// <summary>At start: the chain's objects, and the sealing (once, in sequence order) of events written before they existed.</summary>
public sealed class AuditChainStartup(IDocumentStore store, ILogger<AuditChainStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var sealedNow = await AuditChainSchema.ApplyAsync(store, ct);
        if (sealedNow > 0) log.LogInformation("The tamper-evident log sealed {Events} events written before it existed, in sequence order", sealedNow);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
