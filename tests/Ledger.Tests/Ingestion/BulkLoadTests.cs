using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Ledger.Tests.Ingestion;

/// <summary>The bulk path keeps every invariant of the normal one: same validation, same events, same views.</summary>
[Collection(LedgerCollection.Name)]
public class BulkLoadTests(LedgerApp app)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Bulk_loading_the_seeds_gives_exactly_the_views_the_normal_path_gives_and_refuses_a_second_load()
    {
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "seeds"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => (Name: Path.GetFileName(f), Body: File.ReadAllBytes(f))).ToList();
        await using var normal = await FreshStoreAsync();
        await using var bulk = await FreshStoreAsync();

        // The normal path as the service takes it: the bus and its handler, in the host the load verb uses.
        using (var host = await IngestionHost.StartAsync(normal.ConnectionString, new FixedClock()))
        {
            var bus = host.Services.GetRequiredService<IMessageBus>();
            foreach (var (name, body) in seeds)
                (await bus.RecordAsync(body, new Recording("loader", $"bulk load of {name}"), CancellationToken.None)).Outcome.Should().Be(IngestionOutcome.Recorded);
            await host.StopAsync();
        }
        var loader = new BulkLoad(bulk.Store, ConceptCatalog.Default, new FixedClock());
        var result = await loader.RunAsync(seeds, new Recording("loader", "bulk load"), CancellationToken.None);

        result.Problems.Should().BeEmpty();
        result.Loaded.Should().BeTrue();
        result.Packages.Should().Be(4);
        (await bulk.Store.Advanced.FetchEventStoreStatistics()).EventCount.Should().Be((await normal.Store.Advanced.FetchEventStoreStatistics()).EventCount);
        var (bulkViews, normalViews) = (await StoredViews.DumpAsync(bulk.ConnectionString), await StoredViews.DumpAsync(normal.ConnectionString));
        bulkViews[Ledger.Projections.Checks.CheckTables.Findings].Should().NotBeEmpty("the seeds' checks find something, so the checks are compared too");
        foreach (var table in ProjectionRebuild.ViewTables)
            bulkViews[table].Should().Equal(normalViews[table], $"{table} is what the normal path builds");

        // What the load leaves for the planner (BulkLoad.AnalyzeEventTablesAsync): statistics of the event columns reads
        // filter and order by; and, from the rebuild's COPY FREEZE, every page of the stated values all-visible already.
        await using (var connection = new NpgsqlConnection(bulk.ConnectionString))
        {
            await connection.OpenAsync();
            (await new NpgsqlCommand($"select count(*) from pg_stats where schemaname = '{MartenSetup.Schema}' and tablename = 'mt_events' and attname in ('seq_id', 'type', 'stream_id')", connection)
                .ExecuteScalarAsync()).Should().Be(3L, "the event tables are analyzed once the load has committed");
            (await new NpgsqlCommand($"select relallvisible = relpages and relpages > 0 from pg_class where oid = '{MartenSetup.Schema}.{Ledger.Projections.Figures.StatedValueTables.StatedValues}'::regclass", connection)
                .ExecuteScalarAsync()).Should().Be(true, "the rebuild writes the stated values frozen (the seeds correct nothing: a correction's deletes would clear some pages' flag)");
        }

        var events = (await bulk.Store.Advanced.FetchEventStoreStatistics()).EventCount;
        var again = await loader.RunAsync(seeds, new Recording("loader", "bulk load"), CancellationToken.None);
        again.Loaded.Should().BeFalse();
        again.Problems.Should().Contain(p => p.Contains("already holds stream") && p.Contains("normal path"));
        (await bulk.Store.Advanced.FetchEventStoreStatistics()).EventCount.Should().Be(events);
        var repost = await new HandlerSteps(bulk.Store, ConceptCatalog.Default, new FixedClock())
            .IngestAsync(seeds[0].Body, new Recording("loader", "again"), CancellationToken.None);
        repost.Outcome.Should().Be(IngestionOutcome.AlreadyLoaded, "the bulk path keeps each package, as the normal one does");
    }

    [Fact]
    public async Task One_bad_package_refuses_the_whole_load_naming_the_file_and_field()
    {
        await using var target = await FreshStoreAsync();
        var good = MadeUp.Package("BULK.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json();
        var bad = MadeUp.Package("BULK.B", "AR2023", "2024-03-01", MadeUp.Fact("NoSuchConcept", "FY2023", "1")).Json();

        var result = await new BulkLoad(target.Store, ConceptCatalog.Default, new FixedClock())
            .RunAsync([("good.json", System.Text.Encoding.UTF8.GetBytes(good)), ("bad.json", System.Text.Encoding.UTF8.GetBytes(bad))],
                new Recording("loader", "bulk load"), CancellationToken.None);

        result.Loaded.Should().BeFalse();
        result.Problems.Should().ContainSingle().Which.Should().StartWith("bad.json: $.facts[0].concept");
        (await target.Store.Advanced.FetchEventStoreStatistics()).EventCount.Should().Be(0);
    }

    [Fact]
    public async Task A_document_twice_in_one_load_refuses_the_whole_load_naming_the_second_file()
    {
        await using var target = await FreshStoreAsync();
        var first = MadeUp.Package("BULK.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json();
        var again = MadeUp.Package("BULK.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001")).Json();
        var other = MadeUp.Package("BULK.D", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "5")).Json();

        var result = await new BulkLoad(target.Store, ConceptCatalog.Default, new FixedClock())
            .RunAsync([("first.json", System.Text.Encoding.UTF8.GetBytes(first)), ("other.json", System.Text.Encoding.UTF8.GetBytes(other)),
                ("again.json", System.Text.Encoding.UTF8.GetBytes(again))], new Recording("loader", "bulk load"), CancellationToken.None);

        result.Loaded.Should().BeFalse();
        result.Problems.Should().ContainSingle(p => p.Contains("$.document.id") && p.Contains("'BULK.C/AR2023' is in the load twice"));
        (await target.Store.Advanced.FetchEventStoreStatistics()).EventCount.Should().Be(0, "all or nothing: not even the other document");
    }

    [Fact]
    public async Task A_package_that_changes_while_the_load_reads_it_again_leaves_none_of_the_load_once_recovered()
    {
        // The load reads each package three times and writes the records of the first thousand beside the events before
        // it reads the last one a third time: that one now says something else than what was validated.
        await using var target = await FreshStoreAsync();
        static byte[] Bytes(System.Text.Json.Nodes.JsonObject package) => System.Text.Encoding.UTF8.GetBytes(package.Json());
        var files = Enumerable.Range(0, 1_000)
            .Select(i => Bytes(MadeUp.Package($"BULK.M{i:D4}", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"))))
            .Select((body, i) => new BulkPackage($"p{i:D4}.json", () => body)).ToList();
        var (validated, changed) = (Bytes(MadeUp.Package("BULK.MLAST", "AR2023", "2024-03-02", MadeUp.Fact("Revenue", "FY2023", "1,000"))),
            Bytes(MadeUp.Package("BULK.MLAST", "AR2023", "2024-03-02", MadeUp.Fact("Revenue", "FY2023", "1,001"))));
        var reads = 0;
        files.Add(new BulkPackage("last.json", () => Interlocked.Increment(ref reads) < 3 ? validated : changed));

        var load = () => new BulkLoad(target.Store, ConceptCatalog.Default, new FixedClock()).RunAsync(files, new Recording("loader", "bulk load"), CancellationToken.None);

        (await load.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("last.json changed while it was being loaded");
        (await target.Store.Advanced.FetchEventStoreStatistics()).EventCount.Should().Be(0, "the events are one transaction, rolled back");
        (await CountAsync(target, "mt_doc_loadedpackage")).Should().Be(1_000, "the first thousand records were written beside the events");
        (await CountAsync(target, BulkLoadJournal.Name)).Should().Be(1_000, "and noted as pending first");
        (await BulkLoadJournal.RecoverAsync(target.Store, CancellationToken.None)).Should().ContainSingle().Which.Should().Contain("removed");
        (await CountAsync(target, "mt_doc_loadedpackage")).Should().Be(0);
        (await CountAsync(target, PackageBodies.Name)).Should().Be(0, "a load undone takes its packages' bytes with it");
        (await CountAsync(target, BulkLoadJournal.Name)).Should().Be(0, "and its notes");
    }

    [Fact]
    public async Task A_load_an_older_build_left_marked_in_its_records_is_completed_or_undone_as_before()
    {
        // Until 2026-12-05 a load marked each record it wrote ("pendingBulkLoad") instead of noting it in the journal's table.
        await using var target = await FreshStoreAsync();
        var files = new[] { "BULK.OLD1", "BULK.OLD2" }
            .Select((entity, i) => ($"p{i}.json", System.Text.Encoding.UTF8.GetBytes(MadeUp.Package(entity, "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json())))
            .ToList();
        (await new BulkLoad(target.Store, ConceptCatalog.Default, new FixedClock()).RunAsync(files, new Recording("loader", "bulk load"), CancellationToken.None))
            .Loaded.Should().BeTrue();
        var records = $"{MartenSetup.Schema}.mt_doc_loadedpackage";
        // One record marked by a load whose events were written; a copy of the other, under a document the ledger never
        // recorded, marked by a load that wrote none.
        await ExecuteAsync(target, $$"""
            update {{records}} set data = data || '{"pendingBulkLoad": "written"}' where id = (select min(id) from {{records}});
            create temp table copied as select * from {{records}} where id = (select max(id) from {{records}});
            update copied set id = 'NEVER-RECORDED', data = data || '{"pendingBulkLoad": "unwritten"}';
            insert into {{records}} select * from copied;
            """);

        var recovered = await BulkLoadJournal.RecoverAsync(target.Store, CancellationToken.None);

        recovered.Should().HaveCount(2);
        recovered.Should().Contain(l => l.Contains("bulk load written had written its events") && l.Contains("1 package record(s) are now complete"));
        recovered.Should().Contain(l => l.Contains("bulk load unwritten stopped before writing its events") && l.Contains("1 package record(s) are removed"));
        (await CountAsync(target, "mt_doc_loadedpackage")).Should().Be(2, "the load undone took its record with it");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        (await new NpgsqlCommand($"select count(*) from {records} where data ->> 'pendingBulkLoad' is not null", connection).ExecuteScalarAsync())
            .Should().Be(0L, "the completed load's mark is cleared");
    }

    [Fact]
    public async Task Recovery_waits_for_a_load_still_running_instead_of_undoing_it()
    {
        // A load holds the chain's lock from its first stream row until its commit (sealing included); its notes are
        // committed before it. Here a load "still running": a record and its note committed, the lock held, the stream
        // written only at the end. Recovery judged it at once would find no stream and undo a load about to commit.
        await using var target = await FreshStoreAsync();
        var files = new[] { ("p.json", System.Text.Encoding.UTF8.GetBytes(MadeUp.Package("BULK.RACE", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json())) };
        (await new BulkLoad(target.Store, ConceptCatalog.Default, new FixedClock()).RunAsync(files, new Recording("loader", "bulk load"), CancellationToken.None))
            .Loaded.Should().BeTrue();
        var (records, streams) = ($"{MartenSetup.Schema}.mt_doc_loadedpackage", $"{MartenSetup.Schema}.mt_streams");
        await ExecuteAsync(target, $"""
            create temp table copied as select * from {records};
            update copied set id = 'LOADING';
            insert into {records} select * from copied;
            insert into {MartenSetup.Schema}.{BulkLoadJournal.Name} (document_id, load) values ('LOADING', 'running');
            """);
        await using var running = new NpgsqlConnection(target.ConnectionString);
        await running.OpenAsync();
        await using var transaction = await running.BeginTransactionAsync();
        await new NpgsqlCommand($"select pg_advisory_xact_lock({Ledger.Api.Audit.AuditChainSchema.LockKey})", running, transaction).ExecuteNonQueryAsync();

        var recovering = BulkLoadJournal.RecoverAsync(target.Store, CancellationToken.None);
        await Task.Delay(500);
        recovering.IsCompleted.Should().BeFalse("recovery waits while a load holds the chain's lock");
        await new NpgsqlCommand($"""
            create temp table stream as select * from {streams} where id = '{StreamKeys.Document((await RecordIdsAsync(target)).First(id => id != "LOADING"))}';
            update stream set id = '{StreamKeys.Document("LOADING")}';
            insert into {streams} select * from stream;
            """, running, transaction).ExecuteNonQueryAsync();
        await transaction.CommitAsync();

        (await recovering).Should().ContainSingle().Which.Should().Contain("bulk load running had written its events");
        (await CountAsync(target, "mt_doc_loadedpackage")).Should().Be(2, "the load that committed keeps its records");
        (await CountAsync(target, BulkLoadJournal.Name)).Should().Be(0);
    }

    private static async Task<List<string>> RecordIdsAsync(FreshStore store)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var reader = await new NpgsqlCommand($"select id from {MartenSetup.Schema}.mt_doc_loadedpackage order by id", connection).ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static async Task ExecuteAsync(FreshStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(FreshStore store, string table)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        return (long)(await new NpgsqlCommand($"select count(*) from {MartenSetup.Schema}.{table}", connection).ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_write_whose_sealing_outlasts_the_command_timeout_still_commits_bulk_posted_or_imported()
    {
        // Sealing at commit runs inside COMMIT for every event of the load (a market's million events: minutes). Here a
        // store whose commands time out after 2 s, and sealing made 3 s long (once per transaction) by a trigger of the test's own.
        await using var target = await FreshStoreAsync(commandTimeoutSeconds: 2);
        await Ledger.Api.Audit.AuditChainSchema.EnsureAsync(target.Store);
        await using (var connection = new NpgsqlConnection(target.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"""
                create function {MartenSetup.Schema}.test_slow_seal() returns trigger language plpgsql as $$ begin
                    if coalesce(current_setting('test.slept', true), '') = '' then perform set_config('test.slept', 'yes', true); perform pg_sleep(3); end if;
                    return null; end $$;
                create trigger test_slow_seal after insert on {MartenSetup.Schema}.audit_seals for each statement execute function {MartenSetup.Schema}.test_slow_seal();
                """, connection).ExecuteNonQueryAsync();
        }
        var package = MadeUp.Package("BULK.SLOW", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json();

        var result = await new BulkLoad(target.Store, ConceptCatalog.Default, new FixedClock())
            .RunAsync([("slow.json", System.Text.Encoding.UTF8.GetBytes(package))], new Recording("loader", "bulk load"), CancellationToken.None);

        result.Problems.Should().BeEmpty();
        result.Loaded.Should().BeTrue();
        (await target.Store.Advanced.FetchEventStoreStatistics()).EventCount.Should().BeGreaterThan(0);

        // The service path too: the package seals before its commit, under the package's own write timeout.
        var posted = MadeUp.Package("BULK.SLOW", "AR2024", "2025-03-01", MadeUp.Fact("Revenue", "FY2024", "2,000")).Json();
        (await new HandlerSteps(target.Store, ConceptCatalog.Default, new FixedClock())
            .IngestAsync(System.Text.Encoding.UTF8.GetBytes(posted), new Recording("loader", "posted"), CancellationToken.None))
            .Outcome.Should().Be(IngestionOutcome.Recorded);
        // And an import (a company's filings in one transaction).
        var filing = System.Text.Json.JsonSerializer.Deserialize<Ledger.Domain.Ingestion.DisclosurePackage>(
            MadeUp.Package("BULK.SLOW", "AR2025", "2026-03-01", MadeUp.Fact("Revenue", "FY2025", "3,000")).Json(), DisclosureIngestion.PackageJson)!;
        var imported = await new HandlerSteps(target.Store, ConceptCatalog.Default, new FixedClock())
            .ImportAsync("BULK.SLOW", [filing], null, new Recording("loader", "imported"), CancellationToken.None);
        imported.Recorded.Should().Be(1);
        var verified = await Ledger.Api.Audit.AuditLog.VerifyAsync(target.ConnectionString, null, null, TimeProvider.System, CancellationToken.None);
        verified.Intact.Should().BeTrue("every event of the three writes is sealed");
        verified.Seals.Should().Be(verified.Events);
    }

    private async Task<FreshStore> FreshStoreAsync(int? commandTimeoutSeconds = null)
    {
        var name = $"ledger_bulk_{Guid.NewGuid():N}"[..24];
        await using (var admin = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"create database {name}", admin).ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { Database = name };
        if (commandTimeoutSeconds is { } seconds) builder.CommandTimeout = seconds;
        var connectionString = builder.ConnectionString;
        var store = DocumentStore.For(o => MartenSetup.Configure(o, connectionString));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new FreshStore(store, connectionString, app.Database.ConnectionString, name);
    }

    private sealed record FreshStore(DocumentStore Store, string ConnectionString, string AdminConnectionString, string Name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Store.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(AdminConnectionString);
            await admin.OpenAsync();
            await new NpgsqlCommand($"drop database if exists {Name} with (force)", admin).ExecuteNonQueryAsync();
        }
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
