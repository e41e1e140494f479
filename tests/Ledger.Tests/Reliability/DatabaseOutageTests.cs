using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Tests.Audit;
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
        // Durable like a real one (synchronous commit on), so that an acknowledged package must survive.
        await using var durable = await DurableCluster.StartAsync();
        var (bin, cluster) = (durable.Bin, durable.Server);
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

        await PgCtl.RunAsync(bin, cluster, "-m", "immediate", "-w", "stop");

        var refused = await Post(client, "OUTAGE.B", "2,000");
        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.Should().NotBeNull();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await client.GetAsync("/api/entities/OUTAGE.A/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        await PgCtl.RunAsync(bin, cluster, "-o", $"-p {cluster.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
            "-l", Path.Combine(durable.Directory, "postgres.log"), "-w", "-t", "60", "start");

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

    /// <summary>
    /// The embedded server keeps only the log crash recovery needs (<c>wal_level=minimal</c>): a table a rebuild empties and
    /// fills again in one transaction is not logged row by row but synced at commit. Such a rebuild, committed just before
    /// PostgreSQL crashes, is all there after recovery. Rows enough (several MB) that the table is synced, not logged whole:
    /// 12,000, as a row takes about 300 bytes since the stated values keep no whole JSON (6,000 were enough before).
    /// </summary>
    [Fact]
    public async Task A_rebuild_committed_just_before_the_database_crashes_is_all_there_after_recovery()
    {
        await using var durable = await DurableCluster.StartAsync();
        var cluster = durable.Server;
        const string rows = $"select count(*) || ' rows, ' || sum(value) || ', ' || count(distinct figure) || ' figures' from {MartenSetup.Schema}.stated_values";
        string before;
        await using (var store = await MartenSetup.OpenStoreAsync(cluster.ConnectionString))
        {
            var facts = Enumerable.Range(0, 12_000).Select(i => MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2023", $"{1000 + i:N0}"), $"s{i:D5}")).ToArray();
            var body = Encoding.UTF8.GetBytes(MadeUp.Package("WALCRASH.A", "AR2023", "2024-03-01", facts).Json());
            (await new HandlerSteps(store, ConceptCatalog.Default, TimeProvider.System)
                .IngestAsync(body, new Recording("test", "wal"), CancellationToken.None)).Outcome.Should().Be(IngestionOutcome.Recorded);
            await ProjectionRebuild.RunAsync(store, CancellationToken.None);
            before = await AuditLedgers.ScalarAsync<string>(cluster.ConnectionString, rows);
            (await AuditLedgers.ScalarAsync<string>(cluster.AdminConnectionString, "show wal_level")).Should().Be("minimal");
            (await AuditLedgers.ScalarAsync<bool>(cluster.AdminConnectionString,
                    $"select pg_relation_size('{MartenSetup.Schema}.stated_values') > (select setting::bigint * 1024 from pg_settings where name = 'wal_skip_threshold')"))
                .Should().BeTrue("the rebuilt table is large enough to be synced at commit rather than logged");
        }
        before.Should().StartWith("12000 rows");

        await PgCtl.RunAsync(durable.Bin, cluster, "-m", "immediate", "-w", "stop");
        await using var again = await EmbeddedPostgres.StartAsync(durable.Bin, durable.Directory, throwaway: false);
        (await AuditLedgers.ScalarAsync<string>(again.ConnectionString, rows)).Should().Be(before);
    }

    /// <summary>A cluster of the test's own, durable like a real one; stopped and removed at the end.</summary>
    private sealed class DurableCluster(string bin, string directory, EmbeddedPostgres server) : IAsyncDisposable
    {
        public string Bin { get; } = bin;
        public string Directory { get; } = directory;
        public EmbeddedPostgres Server { get; } = server;

        public static async Task<DurableCluster> StartAsync()
        {
            var bin = EmbeddedPostgres.FindBinaries(null);
            bin.Should().NotBeNull("the tests run on the installed PostgreSQL server binaries when no database is configured");
            var directory = Path.Combine(Path.GetTempPath(), $"ledger-tests-{Guid.NewGuid():N}"[..24]);
            return new DurableCluster(bin!, directory, await EmbeddedPostgres.StartAsync(bin!, directory, throwaway: false));
        }

        public async ValueTask DisposeAsync()
        {
            await Server.StopAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(250);
        return true;
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string entity, string revenue) =>
        client.PostAsync("/api/disclosures", new StringContent(
            MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", revenue)).Json(), Encoding.UTF8, "application/json"));
}
