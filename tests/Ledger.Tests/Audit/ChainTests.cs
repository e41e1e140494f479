using System.Net;
using System.Text;
using Ledger.Api.Audit;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Audit;

/// <summary>Every write path seals, concurrent writers do not fork the chain, and nothing that is not a write disturbs it.</summary>
[Collection(LedgerCollection.Name)]
public class ChainTests(LedgerApp app, AuditLedgers ledgers) : IClassFixture<AuditLedgers>
{
    private static Task<AuditVerification> VerifyAsync(string db, long? from = null, string? hash = null) =>
        AuditLog.VerifyAsync(db, from, hash, TimeProvider.System, CancellationToken.None);

    private static byte[] Package(string entity, string slug, string publishedOn, int facts) =>
        Encoding.UTF8.GetBytes(MadeUp.Package(entity, slug, publishedOn,
            Enumerable.Range(0, facts).Select(i => MadeUp.Fact(i % 2 == 0 ? "Revenue" : "GrossProfit", $"FY{2000 + i / 2}", $"{1000 + i}")).ToArray()).Json());

    [Fact]
    public async Task A_bulk_load_on_top_of_sealed_events_is_sealed_and_the_log_extends_the_checkpoint_kept_before_it()
    {
        var db = await ledgers.CopyAsync();
        var kept = await AuditLog.CheckpointAsync(db, TimeProvider.System, CancellationToken.None);
        await using var store = DocumentStore.For(o => MartenSetup.Configure(o, db));

        var result = await new BulkLoad(store, ConceptCatalog.Default, TimeProvider.System).RunAsync(
            [("a.json", Package("AUDIT.BULKA", "AR2024", "2025-03-01", 40)), ("b.json", Package("AUDIT.BULKB", "AR2024", "2025-03-02", 30))],
            new Recording("audit-tests", "bulk"), CancellationToken.None);

        result.Loaded.Should().BeTrue(string.Join("; ", result.Problems));
        var verified = await VerifyAsync(db, kept.Sequence, kept.Hash);
        verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
        verified.Events.Should().Be(ledgers.SeedEvents + result.Events);
        verified.Seals.Should().Be(verified.Events, "every event written by COPY has its seal");
        verified.Checkpoint!.Extended.Should().BeTrue();
    }

    [Fact]
    public async Task A_bulk_load_into_an_empty_ledger_is_sealed_from_the_first_event()
    {
        var db = await ledgers.EmptyAsync();
        await using var store = DocumentStore.For(o => MartenSetup.Configure(o, db));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "seeds"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToList();

        var result = await new BulkLoad(store, ConceptCatalog.Default, TimeProvider.System).RunAsync(seeds, new Recording("audit-tests", "bulk"), CancellationToken.None);

        result.Loaded.Should().BeTrue(string.Join("; ", result.Problems));
        var verified = await VerifyAsync(db);
        verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
        (verified.Events, verified.Seals, verified.Sequence).Should().Be((ledgers.SeedEvents, ledgers.SeedEvents, ledgers.SeedEvents));
    }

    [Fact]
    public async Task Writers_appending_at_the_same_time_never_fork_the_chain()
    {
        var db = await ledgers.CopyAsync();
        await using var store = DocumentStore.For(o => MartenSetup.Configure(o, db));
        var ingestion = new HandlerSteps(store, ConceptCatalog.Default, TimeProvider.System);
        await AuditChainSchema.EnsureAsync(store);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            ingestion.IngestAsync(Package($"AUDIT.PAR{i}", "AR2024", "2025-03-01", 25), new Recording($"writer-{i}", "parallel"), CancellationToken.None))));

        results.Should().OnlyContain(r => r.Outcome == IngestionOutcome.Recorded);
        var verified = await VerifyAsync(db);
        verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
        verified.Seals.Should().Be(verified.Events).And.Be(ledgers.SeedEvents + results.Sum(r => (long)r.Recorded));
        (await AuditLedgers.ScalarAsync<long>(db, $"select count(distinct sequence) from {AuditChainSchema.Seals}")).Should().Be(verified.Seals, "one seal per sequence: no fork");
    }

    [Fact]
    public async Task A_ledger_whose_events_were_written_before_the_chain_existed_is_sealed_once_at_start_in_sequence_order()
    {
        var db = await ledgers.CopyAsync();
        await AuditLedgers.ExecuteAsync(db, $"truncate {AuditChainSchema.Seals}");
        (await VerifyAsync(db)).FirstBreak!.Kind.Should().Be("unsealed-event", "events without seals are reported, never sealed by a verification");
        await using var store = DocumentStore.For(o => MartenSetup.Configure(o, db));

        (await AuditChainSchema.ApplyAsync(store, CancellationToken.None)).Should().Be(ledgers.SeedEvents);
        (await AuditChainSchema.ApplyAsync(store, CancellationToken.None)).Should().Be(0, "only a ledger without any seal is sealed at start");

        var verified = await VerifyAsync(db);
        verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
        (await AuditLedgers.ScalarAsync<long>(db,
                $"select count(*) from (select sequence, row_number() over (order by event_sequence) as n from {AuditChainSchema.Seals}) s where s.sequence <> s.n"))
            .Should().Be(0, "sealed in sequence order");
    }

    [Fact]
    public async Task A_ledger_whose_event_table_lost_its_triggers_gets_them_back_at_start_and_what_it_writes_next_is_sealed()
    {
        var db = await ledgers.CopyAsync();
        // What a reset of Marten's objects leaves: its event tables made again, without the chain's triggers, beside the
        // seal table, which still names the current version.
        await AuditLedgers.ExecuteAsync(db, $"""
            drop trigger audit_lock_chain on {MartenSetup.Schema}.mt_events; drop trigger audit_note_events on {MartenSetup.Schema}.mt_events;
            drop trigger audit_seal_at_commit on {MartenSetup.Schema}.mt_events; drop trigger audit_lock_chain on {MartenSetup.Schema}.mt_streams;
            """);
        await using var store = DocumentStore.For(o => MartenSetup.Configure(o, db));

        await AuditChainSchema.ApplyAsync(store, CancellationToken.None);
        var result = await new HandlerSteps(store, ConceptCatalog.Default, TimeProvider.System)
            .IngestAsync(Package("AUDIT.RESET", "AR2024", "2025-03-01", 30), new Recording("audit-tests", "after a reset"), CancellationToken.None);

        result.Outcome.Should().Be(IngestionOutcome.Recorded);
        var verified = await VerifyAsync(db);
        verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
        verified.Seals.Should().Be(verified.Events).And.Be(ledgers.SeedEvents + result.Recorded, "every event written after the start is sealed");
    }

    [Fact]
    public async Task A_ledger_sealed_by_the_chain_before_v3_2_gets_v3_2_at_start_and_its_new_seals_verify_against_the_old()
    {
        var db = await ledgers.CopyAsync();
        // The objects v3.1 left behind that v3.2 replaces: its version, and the digest taking the jsonb columns themselves.
        await AuditLedgers.ExecuteAsync(db, $$"""
            comment on table {{AuditChainSchema.Seals}} is 'ledger-audit-chain-v3.1';
            create function {{MartenSetup.Schema}}.audit_event_digest(
                seq_id bigint, id uuid, stream_id varchar, version bigint, type varchar, ts timestamptz, tenant_id varchar,
                dotnet_type varchar, correlation_id varchar, causation_id varchar, user_name varchar, headers jsonb,
                data jsonb, bdata bytea, is_archived boolean) returns bytea language sql stable as $f$ select null::bytea $f$;
            """);
        var kept = await AuditLog.CheckpointAsync(db, TimeProvider.System, CancellationToken.None);
        await using var store = DocumentStore.For(o => MartenSetup.Configure(o, db));

        await AuditChainSchema.ApplyAsync(store, CancellationToken.None);
        var result = await new HandlerSteps(store, ConceptCatalog.Default, TimeProvider.System)
            .IngestAsync(Package("AUDIT.UPGRADE", "AR2024", "2025-03-01", 30), new Recording("audit-tests", "after the upgrade"), CancellationToken.None);

        (await AuditLedgers.ScalarAsync<string>(db, $"select obj_description(to_regclass('{AuditChainSchema.Seals}'), 'pg_class')")).Should().Be(AuditChainSchema.Version);
        (await AuditLedgers.ScalarAsync<string>(db,
                $"select string_agg(pg_get_function_identity_arguments(oid), ' / ') from pg_proc where proname = 'audit_event_digest' and pronamespace = '{MartenSetup.Schema}'::regnamespace"))
            .Should().Contain("headers_text text, data_text text").And.NotContain("jsonb", "the v3.1 digest is dropped, not left beside the new one");
        result.Outcome.Should().Be(IngestionOutcome.Recorded);
        // The verifier recomputes every digest by the canonical form's definition in C#: v3.2's seals are the same bytes.
        var verified = await VerifyAsync(db, kept.Sequence, kept.Hash);
        verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
        verified.Seals.Should().Be(ledgers.SeedEvents + result.Recorded);
        verified.Checkpoint!.Extended.Should().BeTrue();
    }

    [Fact]
    public async Task Sealing_walks_the_sequence_index_and_never_sorts_whole_events()
    {
        // A bitmap scan or a parallel plan sorts the events' rows, jsonb and all, by sequence number: it spilled to disk
        // and was half of sealing a 100,000-fact package (v3.3). The function pins the plan whatever the statistics say.
        var db = await ledgers.CopyAsync();
        var settings = await AuditLedgers.ScalarAsync<string>(db,
            $"select array_to_string(proconfig, ',') from pg_proc where proname = 'audit_seal_after' and pronamespace = '{MartenSetup.Schema}'::regnamespace");
        settings.Split(',').Should().Contain(["enable_seqscan=off", "enable_bitmapscan=off", "max_parallel_workers_per_gather=0"]);
    }

    [Fact]
    public async Task A_transaction_is_sealed_whole_however_its_statements_fall_around_a_savepoint_rolled_back_and_a_seal_made_early()
    {
        // What a write of several statements may do before it commits: events noted, then rolled back to a savepoint; a
        // seal made early (SealNowAsync, as a package's write does), then more events. (Queuing the seal only for the
        // first statement after nothing is noted, with a WHEN on the trigger, was tried on 2026-12-05 and measured no
        // faster: 3.6 s to commit 300,000 events either way; this test would hold such a change.)
        var db = await ledgers.CopyAsync();
        await using var store = DocumentStore.For(o => MartenSetup.Configure(o, db));
        await AuditChainSchema.EnsureAsync(store);
        await using var connection = (Npgsql.NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task RegisterAsync(string entity)
        {
            await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
            session.Events.StartStream(StreamKeys.Entity(entity), new EntityRegistered(entity, new Dictionary<string, string> { ["en"] = entity },
                "CAS", "CNY", $"{entity}/AR2024", new Recording("audit-tests", "one transaction")));
            await session.SaveChangesAsync();
        }

        await transaction.SaveAsync("first");
        await RegisterAsync("AUDIT.TXA"); // noted, then rolled back with its note
        await transaction.RollbackAsync("first");
        await RegisterAsync("AUDIT.TXB");
        await RegisterAsync("AUDIT.TXC");
        await AuditChainSchema.SealNowAsync(connection, 60, CancellationToken.None); // seals B and C, clears the note
        await RegisterAsync("AUDIT.TXD"); // sealed at commit
        await transaction.CommitAsync();

        var verified = await VerifyAsync(db);
        verified.Intact.Should().BeTrue(verified.FirstBreak?.Detail);
        verified.Events.Should().Be(ledgers.SeedEvents + 3, "the rolled-back event is not in the log");
        verified.Seals.Should().Be(verified.Events, "every event the transaction committed has its seal");
    }

    [Fact]
    public async Task A_checkpoint_taken_before_more_loads_is_still_extended_after_them()
    {
        var kept = await app.GetJsonAsync("/api/audit/checkpoint");
        var sequence = kept.GetProperty("sequence").GetInt64();
        var hash = kept.GetProperty("hash").GetString()!;
        foreach (var (entity, facts) in new[] { ("AUDIT.LATER1", 5), ("AUDIT.LATER2", 7) })
        {
            var response = await app.PostPackageAsync(Encoding.UTF8.GetString(Package(entity, "AR2024", "2025-04-01", facts)));
            response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        using var auditor = app.ClientWith(LedgerApp.AuditorKey);
        var verified = await LedgerApp.JsonOf(await auditor.GetAsync($"/api/audit/verify?from={sequence}&hash={hash}"));

        verified.GetProperty("intact").GetBoolean().Should().BeTrue(verified.ToString());
        verified.GetProperty("sequence").GetInt64().Should().BeGreaterThan(sequence);
        verified.GetProperty("checkpoint").GetProperty("extended").GetBoolean().Should().BeTrue();
        verified.GetProperty("checkpoint").GetProperty("recomputedHash").GetString().Should().Be(hash);
        (await app.GetJsonAsync("/api/audit/checkpoint")).GetProperty("sequence").GetInt64().Should().Be(await app.EventCountAsync());
    }

    [Fact]
    public async Task Rebuilding_the_views_leaves_the_chain_as_it_was()
    {
        var before = await app.GetJsonAsync("/api/audit/checkpoint");

        (await app.Client.PostAsync("/api/admin/rebuild", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var verified = await app.GetJsonAsync($"/api/audit/verify?from={before.GetProperty("sequence").GetInt64()}&hash={before.GetProperty("hash").GetString()}");
        verified.GetProperty("intact").GetBoolean().Should().BeTrue(verified.ToString());
        verified.GetProperty("sequence").GetInt64().Should().Be(before.GetProperty("sequence").GetInt64());
        verified.GetProperty("hash").GetString().Should().Be(before.GetProperty("hash").GetString());
        verified.GetProperty("checkpoint").GetProperty("extended").GetBoolean().Should().BeTrue();
    }
}
