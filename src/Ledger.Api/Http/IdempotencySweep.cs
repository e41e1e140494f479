using Marten;

namespace Ledger.Api.Http;

/// <summary>Deletes expired answers and abandoned claims at start and then every hour, so that the table does not grow for ever.</summary>
public sealed class IdempotencySweep(IDocumentStore store, IdempotencySettings settings, TimeProvider clock, ILogger<IdempotencySweep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            var removed = await Idempotency.SweepAsync(store, settings, clock.GetUtcNow(), stoppingToken);
            if (removed > 0) log.LogInformation("Removed {Count} expired or abandoned Idempotency-Key records", removed);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
