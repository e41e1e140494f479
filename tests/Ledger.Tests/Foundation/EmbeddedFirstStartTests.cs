using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Ledger.Api.Database;
using Ledger.Api.Security;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Foundation;

/// <summary>
/// The quick start as a user runs it: the built service, no configuration, the embedded PostgreSQL created in an
/// empty data directory, standard output redirected (as under systemd or in a container).
/// </summary>
public class EmbeddedFirstStartTests
{
    [Fact]
    public async Task A_first_start_keeps_its_secrets_private_from_the_first_byte_prints_no_key_and_answers_only_loopback_names()
    {
        var bin = EmbeddedPostgres.FindBinaries(null) ?? throw new InvalidOperationException("The PostgreSQL server binaries are needed (eng/test.sh installs them).");
        // Directly under the temp folder: as root the server runs as postgres, who must reach it.
        var data = Path.Combine(Path.GetTempPath(), $"ledger-first-start-{Guid.NewGuid():N}"[..32]);
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        var seen = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(() => WatchModes(data, seen, watching.Token));
        var service = ServiceProcess.Start(["--urls", url], new Dictionary<string, string?>
        {
            ["Ledger__DataDirectory"] = data, ["Ledger__PostgresBin"] = bin, ["Ledger__LoadSeeds"] = "false",
        });
        try
        {
            await service.WaitUntilAnsweringAsync(url, TimeSpan.FromSeconds(120));
            await watching.CancelAsync();
            await watcher;

            // Private from creation: every mode ever seen while it started, not only the final one.
            seen.Should().ContainKey("pg.pwfile", "initdb's password file was watched while it existed");
            foreach (var (name, modes) in seen)
                modes.Distinct().Should().Equal([name == "." ? "700" : "600"], $"{name} is private from its first byte");
            File.Exists(Path.Combine(data, "pg.pwfile")).Should().BeFalse("initdb's password file is removed");
            foreach (var file in new[] { "pg.password", "pg.service-password", GeneratedWriterKey.FileName, GeneratedWriterKey.PlainTextFileName })
                UnixModes.Of(Path.Combine(data, file)).Should().Be("600", file);
            UnixModes.Of(data).Should().Be("700");

            var key = (await File.ReadAllTextAsync(Path.Combine(data, GeneratedWriterKey.PlainTextFileName))).Trim();
            key.Should().StartWith("ledger_");
            service.Output.Should().NotContain(key, "standard output is not a terminal here").And.Contain(GeneratedWriterKey.PlainTextFileName);

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            (await http.GetStringAsync("/health")).Should().Be("""{"status":"ok"}""");
            (await http.GetAsync("/api/entities")).StatusCode.Should().Be(HttpStatusCode.OK, "reads are open on loopback");
            var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/entities");
            rebound.Headers.Host = "attacker.example";
            (await http.SendAsync(rebound)).StatusCode.Should().Be(HttpStatusCode.BadRequest, "a rebound name is refused");
            using var writer = new HttpClient { BaseAddress = new Uri(url) };
            writer.DefaultRequestHeaders.Add("X-Api-Key", key);
            (await LedgerApp.JsonOf(await writer.GetAsync("/health"))).GetProperty("databaseSource").GetString().Should().Be("embedded");

            // Ctrl+C stops the service and the PostgreSQL it started (README, "The two commands").
            await service.InterruptAsync();
            service.HasExited.Should().BeTrue();
            File.Exists(Path.Combine(data, "pg", "postmaster.pid")).Should().BeFalse("the embedded server stopped with the service");
        }
        finally
        {
            await watching.CancelAsync();
            await service.StopAsync();
            await service.DisposeAsync();
            await StopLeftoverServerAsync(bin, data);
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static void WatchModes(string data, ConcurrentDictionary<string, ConcurrentBag<string>> seen, CancellationToken stop)
    {
        string[] secrets = ["pg.pwfile", "pg.password", GeneratedWriterKey.FileName, GeneratedWriterKey.PlainTextFileName];
        while (!stop.IsCancellationRequested)
        {
            foreach (var name in secrets.Prepend("."))
            {
                try { seen.GetOrAdd(name, _ => []).Add(UnixModes.Of(Path.Combine(data, name))); }
                catch (FileNotFoundException) { /* not created yet, or already removed */ }
                catch (DirectoryNotFoundException) { /* the data directory is not created yet */ }
            }
            Thread.Sleep(5);
        }
        foreach (var name in seen.Keys.ToList()) if (seen[name].IsEmpty) seen.TryRemove(name, out _);
    }

    /// <summary>The service stops its PostgreSQL on SIGTERM; should it have been killed instead, the server is stopped here.</summary>
    private static async Task StopLeftoverServerAsync(string bin, string data)
    {
        var cluster = Path.Combine(data, "pg");
        if (!File.Exists(Path.Combine(cluster, "postmaster.pid"))) return;
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "runuser" : Path.Combine(bin, "pg_ctl")) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in (root ? new[] { "-u", "postgres", "--", Path.Combine(bin, "pg_ctl") } : []).Concat(["-D", cluster, "-m", "immediate", "stop"]))
            start.ArgumentList.Add(a);
        using var stop = Process.Start(start)!;
        await stop.WaitForExitAsync();
    }
}
