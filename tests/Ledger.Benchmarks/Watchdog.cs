using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

/// <summary>
/// What the benchmark starts outside its own process (its embedded PostgreSQL server, the service's process for the HTTP
/// lines) ends with it however it ends: Ctrl+C, a kill, a crash. A shell in a session of its own (a Ctrl+C to the
/// terminal does not reach it) waits for the benchmark's process to be gone, then ends the service processes still
/// listed, stops the server and removes its directory. A run that ends normally has done all that itself and leaves the
/// shell nothing to do. Not done by a signal handler in the benchmark: one that stopped the server under a run's queries
/// crashed the run (exit 134), and a kill -9 runs no handler at all.
/// </summary>
static class Watchdog
{
    // $1 the benchmark's pid, $2 the embedded server's directory (empty: none), $3 the list of service pids. Nothing of the
    // terminal kept open (a `| tee` would wait for this shell). A process counts as gone once it is a zombie too. Only a
    // postmaster whose working directory is this cluster's is signalled (a stale pid file's pid may be another's now):
    // SIGQUIT, the immediate stop the benchmark's own end uses for its throwaway server; waited for 30 s at most.
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        trap '' INT TERM HUP
        alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d ' ' -f 1)" != Z ]; }
        while alive "$1"; do sleep 1; done
        for p in $(cat "$3" 2>/dev/null); do
          grep -q Ledger.Api.dll "/proc/$p/cmdline" 2>/dev/null && kill -TERM "$p"
        done
        rm -f "$3" "$3.new"
        [ -n "$2" ] || exit 0
        postmaster=$(head -n 1 "$2/pg/postmaster.pid" 2>/dev/null)
        if [ -n "$postmaster" ] && [ "$(readlink "/proc/$postmaster/cwd")" = "$(readlink -f "$2/pg")" ] && kill -QUIT "$postmaster"; then
          for i in $(seq 150); do alive "$postmaster" || break; sleep 0.2; done
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

    /// <summary>The list rewritten whole and renamed into place, so that a kill between two writes never leaves half of it.</summary>
    private static void Change(Func<bool> change)
    {
        lock (Gate)
        {
            if (!change() || _list is null) return;
            try
            {
                File.WriteAllLines(_list + ".new", Services.Select(p => p.ToString(CultureInfo.InvariantCulture)));
                File.Move(_list + ".new", _list, overwrite: true);
            }
            catch (IOException e)
            {
                // Not the run's failure: only what a signal would leave behind.
                Console.Error.WriteLine($"the watchdog's list of service processes was not updated ({e.Message})");
            }
        }
    }
}
