using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ledger.Tests.Reliability;

/// <summary>
/// The real service as a process, killed with SIGKILL in the middle of its work, then started again on the same
/// database: nothing acknowledged is lost, nothing is half there, a retry with the same Idempotency-Key is answered,
/// and the views equal a rebuild from the events.
/// </summary>
public class CrashTests
{
    private const string WriterKey = "crash-test-writer-key-0001";

    [Fact]
    public async Task Killed_during_a_keyed_POST_the_package_is_all_or_nothing_and_the_retry_after_restart_is_answered()
    {
        var database = await ServiceProcess.FreshDatabaseAsync("crashpost");
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        // 3,000 figures: long enough to be killed in the middle of (it takes seconds), small enough for the suite.
        var package = MadeUp.Package("CRASH.A", "AR2023", "2024-03-01",
            Enumerable.Range(0, 3000).Select(i => MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2023", $"{1000 + i:N0}"), $"s{i:D4}")).ToArray()).Json();

        await using (var first = await StartAsync(database, url))
        {
            using var client = Client(url);
            var posting = client.SendAsync(Post(package, "crash-key-1"));
            // The key is claimed (committed) before the package is read: from then on the request is at work.
            await WaitForAsync(() => ClaimsAsync(database), n => n > 0 || posting.IsCompleted, TimeSpan.FromMilliseconds(200));
            await first.KillAsync(); // SIGKILL, whatever the request was doing
            var killed = async () => await posting;
            if (!posting.IsCompletedSuccessfully) await killed.Should().ThrowAsync<Exception>("the connection died with the process");
        }

        var afterKill = await EventsAsync(database);

        await using (var second = await StartAsync(database, url))
        {
            using var client = Client(url);
            var retry = await client.SendAsync(Post(package, "crash-key-1"));
            retry.StatusCode.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.OK], "the key's claim died with the process, so the retry runs (or replays)");
            var again = await client.SendAsync(Post(package, "crash-key-1"));
            again.StatusCode.Should().Be(retry.StatusCode, "and from now on the answer is the kept one");
            (await again.Content.ReadAsStringAsync()).Should().Be(await retry.Content.ReadAsStringAsync());

            var figures = await client.GetFromJsonAsync<JsonElement>("/api/entities/CRASH.A/figures?limit=5000");
            figures.GetProperty("figures").GetArrayLength().Should().Be(3000);
            var complete = await EventsAsync(database);
            afterKill.Should().BeOneOf([0L, complete], "a package is one transaction: all of its events or none");
            if (afterKill == complete) retry.StatusCode.Should().Be(HttpStatusCode.OK, "it was all there: the retry records nothing");
        }

        await ExpectViewsEqualARebuildAsync(database);
    }

    [Fact]
    public async Task Killed_during_a_rebuild_the_next_start_sees_the_unfinished_rebuild_and_redoes_it()
    {
        var database = await ServiceProcess.FreshDatabaseAsync("crashrebuild");
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        await using (var seeded = await StartAsync(database, url, loadSeeds: true)) { }
        var before = await StoredViews.DumpAsync(database);
        before[StatedValueTables.StatedValues].Should().NotBeEmpty();

        await using (var holder = new NpgsqlConnection(database))
        {
            await holder.OpenAsync();
            await using var held = await holder.BeginTransactionAsync();
            await using (var rebuild = ServiceProcess.Start(["rebuild"], Environment(database)))
            {
                // Killed once the rebuild has marked itself and begun (the mark is set before any view goes). The mark's row
                // is held meanwhile, so the rebuild cannot clear it before the kill however fast it runs (the seeds' views
                // are rebuilt in about a second, and a fixed wait lost that race once).
                await WaitForAsync(() => RebuildMarkedAsync(database), marked => marked, TimeSpan.Zero);
                await using (var hold = new NpgsqlCommand(
                    $"select 1 from {MartenSetup.Schema}.mt_doc_storedviewsversion where id = 'views' and data ->> 'rebuildStartedAt' is not null for update", holder, held))
                    (await hold.ExecuteScalarAsync()).Should().Be(1, "the mark is still there when its row is held");
                await Task.Delay(RebuildGate.RecheckEvery + TimeSpan.FromMilliseconds(300));
            }
            await held.RollbackAsync();
        }
        (await RebuildMarkedAsync(database)).Should().BeTrue("the killed rebuild left its mark");

        await using (var restarted = await StartAsync(database, url))
        {
            (await RebuildMarkedAsync(database)).Should().BeFalse("the start redid the rebuild");
            using var client = Client(url);
            // seed 004 line 239: ZWSOFT FY2022 net profit attributable after Interpretation No. 16
            var figure = await client.GetFromJsonAsync<JsonElement>("/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022");
            figure.GetProperty("current").GetProperty("value").GetString().Should().Be("6003513.77");
        }
        var after = await StoredViews.DumpAsync(database);
        foreach (var table in ProjectionRebuild.ViewTables) after[table].Should().Equal(before[table], table);
    }

    [Fact]
    public async Task Killed_during_a_bulk_load_the_next_start_completes_or_undoes_it_never_half()
    {
        var database = await ServiceProcess.FreshDatabaseAsync("crashbulk");
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        var folder = Directory.CreateTempSubdirectory("ledger-crash-bulk-").FullName;
        try
        {
            for (var p = 0; p < 20; p++)
                await File.WriteAllTextAsync(Path.Combine(folder, $"p{p:D2}.json"), MadeUp.Package($"BULK.{p:D2}", "AR2023", "2024-03-01",
                    Enumerable.Range(0, 300).Select(i => MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2023", $"{1000 + i:N0}"), $"s{i:D3}")).ToArray()).Json());
            await using (var schema = await StartAsync(database, url)) { } // the store's schema, as a service start makes it

            await using (var bulk = ServiceProcess.Start(["bulk-load", folder], Environment(database)))
            {
                // Killed as soon as the journal holds the load and its package records are written (they are noted first).
                await WaitForAsync(() => CountAsync(database, "mt_doc_loadedpackage"), n => n > 0 || bulk.HasExited, TimeSpan.Zero);
                await bulk.KillAsync();
            }
            var packagesAfterKill = await CountAsync(database, "mt_doc_loadedpackage");

            await using (var restarted = await StartAsync(database, url))
            {
                (await PendingAsync(database)).Should().Be(0, "the start completed or undid the load");
                var events = await EventsAsync(database);
                var packages = await CountAsync(database, "mt_doc_loadedpackage");
                (packages, events > 0).Should().BeOneOf([(0L, false), (20L, true)], $"all of the load or none of it ({packagesAfterKill} records were there after the kill)");
            }
            if (await EventsAsync(database) == 0)
            {
                // Undone: running the load again is the way on, and it completes.
                await using var again = ServiceProcess.Start(["bulk-load", folder], Environment(database));
                await WaitForAsync(() => Task.FromResult(again.HasExited), exited => exited, TimeSpan.Zero);
                (await CountAsync(database, "mt_doc_loadedpackage")).Should().Be(20, again.Output);
            }
            await ExpectViewsEqualARebuildAsync(database);
            (await StoredViews.DumpAsync(database))[StatedValueTables.StatedValues].Should().HaveCount(20 * 300);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static Task<long> PendingAsync(string database) => CountAsync(database, BulkLoadJournal.Name);

    private static Task<long> CountAsync(string database, string table) =>
        ScalarAsync(database, $"select case when to_regclass('{MartenSetup.Schema}.{table}') is null then 0 else (select count(*) from {MartenSetup.Schema}.{table}) end");

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<ServiceProcess> StartAsync(string database, string url, bool loadSeeds = false)
    {
        var service = ServiceProcess.Start(["--urls", url], Environment(database, loadSeeds));
        await service.WaitUntilAnsweringAsync(url);
        return service;
    }

    private static Dictionary<string, string?> Environment(string database, bool loadSeeds = false) => new()
    {
        ["ConnectionStrings__Ledger"] = database,
        ["Ledger__ApiKeys__0__Name"] = "crash-writer", ["Ledger__ApiKeys__0__Key"] = WriterKey, ["Ledger__ApiKeys__0__Role"] = "writer",
        ["Ledger__AllowAnonymousReads"] = "false",
        ["Ledger__LoadSeeds"] = loadSeeds ? "true" : "false",
    };

    private static HttpClient Client(string url)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-Api-Key", WriterKey);
        return client;
    }

    private static HttpRequestMessage Post(string json, string idempotencyKey) => new(HttpMethod.Post, "/api/disclosures")
    {
        Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        Headers = { { "Idempotency-Key", idempotencyKey } },
    };

    private static async Task WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan extra)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!done(await probe()) && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Task.Delay(extra);
    }

    /// <summary>Events in the store, read directly (the service may be dead); 0 before the schema exists.</summary>
    private static async Task<long> EventsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select case when to_regclass('{MartenSetup.Schema}.mt_events') is null then 0 else (select count(*) from {MartenSetup.Schema}.mt_events) end", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<long> ClaimsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select case when to_regclass('{MartenSetup.Schema}.mt_doc_idempotentrequest') is null then 0 else (select count(*) from {MartenSetup.Schema}.mt_doc_idempotentrequest) end", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<bool> RebuildMarkedAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select coalesce((select data ->> 'rebuildStartedAt' is not null from {MartenSetup.Schema}.mt_doc_storedviewsversion where id = 'views'), false)", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExpectViewsEqualARebuildAsync(string database)
    {
        var live = await StoredViews.DumpAsync(database);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = database }).Build();
        (await RebuildCommand.RunAsync(config)).Should().Be(0);
        var rebuilt = await StoredViews.DumpAsync(database);
        foreach (var table in ProjectionRebuild.ViewTables) rebuilt[table].Should().Equal(live[table], $"{table} after the crash must equal its rebuild");
    }
}
