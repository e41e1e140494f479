using System.Collections.Concurrent;
using System.Net;

namespace Ledger.Api.Security;

/// <summary>
/// Unknown keys, logged at Information (a wrong key is the caller's mistake, not the service's trouble) and at most once a
/// minute per caller address: the first one at once, the rest counted and reported with the next one after the minute.
/// 700 wrong keys were 700 warnings; they are now a handful of lines that still show someone trying. The key itself is never logged.
/// </summary>
public sealed class FailedKeyLog(ILogger<FailedKeyLog> log)
{
    private static readonly long WindowMs = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
    private const int MaxTrackedAddresses = 10_000;

    private sealed class Window
    {
        public long StartedMs;
        public int Suppressed;
    }

    private readonly ConcurrentDictionary<string, Window> _windows = new();

    public void Refused(IPAddress? address)
    {
        var from = address?.ToString() ?? "an unknown address";
        var now = Environment.TickCount64;
        if (_windows.Count > MaxTrackedAddresses) Forget(now);
        var window = _windows.GetOrAdd(from, _ => new Window { StartedMs = now - WindowMs });
        int suppressed;
        lock (window)
        {
            if (now - window.StartedMs < WindowMs) { window.Suppressed++; return; }
            suppressed = window.Suppressed;
            window.StartedMs = now;
            window.Suppressed = 0;
        }
        if (suppressed == 0)
            log.LogInformation("Refused a request from {Address} with an X-Api-Key this service does not know; more from there within a minute are counted, not logged one by one", from);
        else
            log.LogInformation("Refused a request from {Address} with an X-Api-Key this service does not know, and {Suppressed} more from there in the minute before", from, suppressed);
    }

    /// <summary>Forgets addresses whose minute is over, so that a scan from many addresses cannot grow the table without end.</summary>
    private void Forget(long now)
    {
        foreach (var (address, window) in _windows)
            if (now - window.StartedMs >= WindowMs && window.Suppressed == 0) _windows.TryRemove(address, out _);
    }
}
