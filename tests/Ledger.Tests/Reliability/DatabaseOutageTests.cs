using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ledger.Api.Database;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Reliability;

/// <summary>
/// PostgreSQL stopped under the running service as a crash would stop it (<c>pg_ctl stop -m immediate</c>), then started
/// again: meanwhile every request gets a 503 with Retry-After (never a 500), afterwards the same service process answers
/// again without a restart of its own, and every package it acknowledged is there.
/// </summary>
public class DatabaseOutageTests
{
    private const string WriterKey = "outage-test-writer-key-01";

    [Fact]
    public async Task With_the_database_stopped_requests_get_503_and_the_service_reconnects_by_itself_when_it_is_back()
    {
        var bin = EmbeddedPostgres.FindBinaries(null);
        bin.Should().NotBeNull("the tests run on the installed PostgreSQL server binaries when no database is configured");
        // A cluster of its own, durable like a real one (synchronous commit on), so that an acknowledged package must survive.
        var directory = Path.Combine(Path.GetTempPath(), $"ledger-tests-{Guid.NewGuid():N}"[..24]);
        var cluster = await EmbeddedPostgres.StartAsync(bin!, directory, throwaway: false);
        try
        {
            var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
            await using var service = ServiceProcess.Start(["--urls", url], new Dictionary<string, string?>
            {
                ["ConnectionStrings__Ledger"] = cluster.ConnectionString,
                ["Ledger__ApiKeys__0__Name"] = "outage-writer", ["Ledger__ApiKeys__0__Key"] = WriterKey, ["Ledger__ApiKeys__0__Role"] = "writer",
                ["Ledger__LoadSeeds"] = "false",
            });
            await service.WaitUntilAnsweringAsync(url);
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add("X-Api-Key", WriterKey);

            (await Post(client, "OUTAGE.A", "1,000")).StatusCode.Should().Be(HttpStatusCode.Created);

            await PgCtlAsync(bin!, cluster, "-m", "immediate", "-w", "stop");

            var refused = await Post(client, "OUTAGE.B", "2,000");
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            refused.Headers.RetryAfter.Should().NotBeNull();
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await client.GetAsync("/api/entities/OUTAGE.A/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

            await PgCtlAsync(bin!, cluster, "-o", $"-p {cluster.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
                "-l", Path.Combine(directory, "postgres.log"), "-w", "-t", "60", "start");

            // The same process, no restart: the first requests may still meet connections the outage broke.
            var watch = Stopwatch.StartNew();
            HttpResponseMessage again;
            do again = await Post(client, "OUTAGE.B", "2,000");
            while (again.StatusCode == HttpStatusCode.ServiceUnavailable && watch.Elapsed < TimeSpan.FromSeconds(30) && await Pause());
            again.StatusCode.Should().Be(HttpStatusCode.Created, "the service reconnects by itself");
            service.HasExited.Should().BeFalse();
            var a = await client.GetFromJsonAsync<JsonElement>("/api/entities/OUTAGE.A/figures/Revenue/FY2023");
            a.GetProperty("current").GetProperty("value").GetString().Should().Be("1000", "an acknowledged package survives the database's crash");
        }
        finally
        {
            await cluster.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(250);
        return true;
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string entity, string revenue) =>
        client.PostAsync("/api/disclosures", new StringContent(
            MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", revenue)).Json(), System.Text.Encoding.UTF8, "application/json"));

    /// <summary>pg_ctl on the cluster, as the postgres user when we are root (the server refuses to run as root).</summary>
    private static async Task PgCtlAsync(string bin, EmbeddedPostgres cluster, params string[] args)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(bin, "pg_ctl")) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asRoot) foreach (var a in new[] { "-u", "postgres", "--", Path.Combine(bin, "pg_ctl") }) start.ArgumentList.Add(a);
        start.ArgumentList.Add("-D");
        start.ArgumentList.Add(cluster.DataDirectory);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"pg_ctl {string.Join(' ', args)}: {output}");
    }
}
