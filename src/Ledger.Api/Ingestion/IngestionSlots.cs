using Ledger.Api.Http;

namespace Ledger.Api.Ingestion;

/// <summary>
/// How many packages are read and applied at once (<c>Ledger:Ingestion:MaxConcurrent</c>, default 2, one per core here):
/// each holds its body and its figures in memory, so without a bound a few writers can exhaust memory and starve
/// readers. A request waits up to <c>Ledger:Ingestion:WaitSeconds</c> (default 30) for a slot, then gets 503 with
/// Retry-After and nothing is read or written.
/// </summary>
public sealed class IngestionSlots(int maxConcurrent, TimeSpan wait)
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);

    public int MaxConcurrent { get; } = maxConcurrent;

    /// <summary>Slots free right now (for health and tests).</summary>
    public int Available => _slots.CurrentCount;

    public static IngestionSlots From(IConfiguration configuration)
    {
        var max = configuration.GetValue<int?>("Ledger:Ingestion:MaxConcurrent") ?? 2;
        if (max < 1) throw new InvalidOperationException("Ledger:Ingestion:MaxConcurrent must be at least 1.");
        return new IngestionSlots(max, TimeSpan.FromSeconds(configuration.GetValue<double?>("Ledger:Ingestion:WaitSeconds") ?? 30));
    }

    /// <summary>A slot to release by disposing it, or null when none came free in time.</summary>
    public async Task<IDisposable?> TryEnterAsync(CancellationToken ct) =>
        await _slots.WaitAsync(wait, ct) ? new Slot(_slots) : null;

    public static IResult Busy() => Problems.WithRetryAfter(Problems.Result(Problems.Field(StatusCodes.Status503ServiceUnavailable, "Too many packages are being loaded",
        "Every ingestion slot stayed busy while this request waited; nothing was read or recorded. Retry shortly.",
        "$", "the service is loading other packages")), 5);

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
