using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

/// <summary>
/// What the benchmark starts outside its own process (its embedded PostgreSQL server, the service's process for the HTTP
/// lines) ends with it however it ends: Ctrl+C, a kill, a crash. A shell in a session of its own (a Ctrl+C to the
/// terminal does not reach it) waits for the benchmark's process to be gone, then ends the service processes still
/// listed, stops the server (SIGINT to its postmaster: a fast shutdown) and removes its directory. A run that ends
/// normally has done all that itself and leaves the shell nothing to do. Not done by a signal handler in the benchmark:
/// one that stopped the server under a run's queries crashed the run (exit 134), and a kill -9 runs no handler at all.
/// </summary>
static class Watchdog
{
    private const string Script = """
        trap '' INT TERM HUP
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        for p in $(cat "$3" 2>/dev/null); do
          grep -q Ledger.Api.dll "/proc/$p/cmdline" 2>/dev/null && kill -TERM "$p" 2>/dev/null
        done
        rm -f "$3"
        [ -n "$2" ] || exit 0
        postmaster=$(head -n 1 "$2/pg/postmaster.pid" 2>/dev/null)
        if [ -n "$postmaster" ] && kill -INT "$postmaster" 2>/dev/null; then
          while kill -0 "$postmaster" 2>/dev/null; do sleep 0.2; done
        fi
        rm -rf "$2"
        """;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Services = [];
    private static string? _list;

    /// <summary>Starts the watch; <paramref name="throwawayDirectory"/> is the embedded server's, or null when the benchmark uses a configured one.</summary>
    public static void Start(string? throwawayDirectory)
    {
        var list = Path.Combine(Path.GetTempPath(), $"ledger-bench-{Guid.NewGuid():N}"[..24] + ".services");
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in new[] { "sh", "-c", Script, "ledger-bench-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), throwawayDirectory ?? "", list })
            start.ArgumentList.Add(a);
        try
        {
            Process.Start(start)?.Dispose();
            _list = list;
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"no watchdog ({e.Message}): a run ended by a signal leaves what it started running");
        }
    }

    /// <summary>A service process the watchdog ends if the benchmark ends first.</summary>
    public static void Add(int pid) => Change(() => Services.Add(pid));

    /// <summary>A service process the benchmark has ended itself.</summary>
    public static void Remove(int pid) => Change(() => Services.Remove(pid));

    private static void Change(Func<bool> change)
    {
        lock (Gate)
        {
            if (!change() || _list is null) return;
            File.WriteAllLines(_list, Services.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
