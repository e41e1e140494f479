using Marten;

namespace Ledger.Api.Http;

/// <summary>Deletes answers and claims older than the retention at start and then every hour, so that the table does not grow for ever.</summary>
public sealed class IdempotencySweep(IDocumentStore store, IdempotencySettings settings, TimeProvider clock, ILogger<IdempotencySweep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                var removed = await Idempotency.SweepAsync(store, settings, clock.GetUtcNow(), stoppingToken);
                if (removed > 0) log.LogInformation("Removed {Count} expired Idempotency-Key records", removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed sweep only leaves stale records for the next one: no reason to stop the service (the host
                // stops on an exception escaping a background service).
                log.LogError(e, "Sweeping Idempotency-Key records failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
