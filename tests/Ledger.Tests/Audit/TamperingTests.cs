using Ledger.Api.Audit;
using Ledger.Api.Database;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Audit;

/// <summary>
/// Damage done directly in PostgreSQL, as someone with access to the database might, each on a copy of the sealed seed
/// ledger; verification recomputes the log from the events and names the first event that breaks.
/// </summary>
[Collection(LedgerCollection.Name)]
public class TamperingTests(AuditLedgers ledgers) : IClassFixture<AuditLedgers>
{
    private const string Events = MartenSetup.Schema + ".mt_events";

    /// <summary>The log's next number, as a write through Marten takes it.</summary>
    private const string NextNumber = $"nextval('{MartenSetup.Schema}.mt_events_sequence')";

    /// <summary>
    /// New events copied from existing ones (<paramref name="of"/>, in their order), each numbered by <paramref name="seqId"/>,
    /// with a fresh id, at a version no stream reaches (<paramref name="versionOffset"/> past the original's) and
    /// <paramref name="timestamp"/> (the original's unless given): written through the triggers, as any insert is.
    /// </summary>
    private static string CopiesSql(string of, string seqId, long versionOffset, string timestamp = "timestamp") => $"""
        insert into {Events} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
        select {seqId}, gen_random_uuid(), stream_id, version + {versionOffset}, data, type, {timestamp}, tenant_id, mt_dotnet_type, false
        from {Events} where {of} order by seq_id;
        """;

    /// <summary>Statements run with the sealing triggers disabled, as someone with access to the database could.</summary>
    private static string PastTheTriggers(string sql) => $"alter table {Events} disable trigger user; {sql} alter table {Events} enable trigger user;";

    private static Task<AuditVerification> VerifyAsync(string db, long? from = null, string? hash = null) =>
        AuditLog.VerifyAsync(db, from, hash, TimeProvider.System, CancellationToken.None);

    /// <summary>The seq_id of the n-th event of a type (seeds are loaded by one writer, so seals follow seq_id one to one).</summary>
    private static Task<long> EventAsync(string db, string type, int n) =>
        AuditLedgers.ScalarAsync<long>(db, $"select seq_id from {Events} where type = '{type}' order by seq_id offset {n} limit 1");

    [Fact]
    public async Task The_seed_ledger_is_sealed_event_by_event_and_the_verifier_recomputes_what_the_trigger_sealed()
    {
        var db = await ledgers.CopyAsync();

        var result = await VerifyAsync(db);

        result.Intact.Should().BeTrue(result.FirstBreak?.Detail);
        result.Events.Should().Be(ledgers.SeedEvents, "every event of the four seed packages is there");
        result.Seals.Should().Be(result.Events);
        result.Sequence.Should().Be(ledgers.SeedEvents);
        var checkpoint = await AuditLog.CheckpointAsync(db, TimeProvider.System, CancellationToken.None);
        checkpoint.Sequence.Should().Be(ledgers.SeedEvents);
        result.Hash.Should().Be(checkpoint.Hash, "the head recomputed in C# is the head the trigger wrote");
        (await AuditLedgers.ScalarAsync<long>(db, $"select count(*) from {AuditChainSchema.Seals} s join {Events} e on e.seq_id = s.event_sequence where s.sequence <> e.seq_id"))
            .Should().Be(0, "one writer, no failed appends: the chain's sequence is the event sequence");
    }

    [Fact]
    public async Task Editing_one_stored_events_JSON_is_caught_at_that_event()
    {
        var db = await ledgers.CopyAsync();
        var checkpoint = await AuditLog.CheckpointAsync(db, TimeProvider.System, CancellationToken.None);
        var target = await EventAsync(db, "figure_disclosed", 700);
        // One more yuan on a disclosed figure.
        (await AuditLedgers.ExecuteAsync(db, $"update {Events} set data = jsonb_set(data, '{{value,value,value}}', to_jsonb((data #>> '{{value,value,value}}')::numeric + 1)) where seq_id = {target}"))
            .Should().Be(1);

        var result = await VerifyAsync(db, checkpoint.Sequence, checkpoint.Hash);

        result.Intact.Should().BeFalse();
        result.FirstBreak!.Kind.Should().Be("data-altered");
        result.FirstBreak.Sequence.Should().Be(target);
        result.FirstBreak.EventSequence.Should().Be(target);
        result.FirstBreak.Stream.Should().Be(await AuditLedgers.ScalarAsync<string>(db, $"select stream_id from {Events} where seq_id = {target}"));
        result.FirstBreak.Version.Should().Be(await AuditLedgers.ScalarAsync<long>(db, $"select version from {Events} where seq_id = {target}"));
        result.Checkpoint!.Extended.Should().BeFalse("the head kept before the edit no longer follows from the events");
    }

    [Fact]
    public async Task Editing_an_events_metadata_is_caught_and_told_apart_from_its_payload()
    {
        var db = await ledgers.CopyAsync();
        var target = await EventAsync(db, "figure_disclosed", 10);
        await AuditLedgers.ExecuteAsync(db, $"update {Events} set user_name = 'mallory' where seq_id = {target}");

        var result = await VerifyAsync(db);

        result.FirstBreak!.Kind.Should().Be("metadata-altered");
        result.FirstBreak.Sequence.Should().Be(target);
    }

    [Fact]
    public async Task Deleting_one_event_is_caught_as_a_missing_event_named_by_its_stream_and_version()
    {
        var db = await ledgers.CopyAsync();
        var target = await EventAsync(db, "figure_disclosed", 300);
        var stream = await AuditLedgers.ScalarAsync<string>(db, $"select stream_id from {Events} where seq_id = {target}");
        var version = await AuditLedgers.ScalarAsync<long>(db, $"select version from {Events} where seq_id = {target}");
        (await AuditLedgers.ExecuteAsync(db, $"delete from {Events} where seq_id = {target}")).Should().Be(1);

        var result = await VerifyAsync(db);

        result.Intact.Should().BeFalse();
        result.FirstBreak!.Kind.Should().Be("missing-event");
        (result.FirstBreak.Sequence, result.FirstBreak.EventSequence, result.FirstBreak.Stream, result.FirstBreak.Version)
            .Should().Be((target, target, stream, version));
        result.Hash.Should().BeNull("nothing can be chained past a missing event");
    }

    [Fact]
    public async Task Swapping_two_events_payloads_is_caught_as_reordered_at_the_first_of_them()
    {
        var db = await ledgers.CopyAsync();
        var first = await EventAsync(db, "figure_disclosed", 400);
        var second = await EventAsync(db, "figure_disclosed", 900);
        (await AuditLedgers.ExecuteAsync(db, $"""
            update {Events} e set data = o.data
              from (select seq_id, data from {Events} where seq_id in ({first}, {second})) o
             where e.seq_id in ({first}, {second}) and o.seq_id <> e.seq_id
            """)).Should().Be(2);

        var result = await VerifyAsync(db);

        result.FirstBreak!.Kind.Should().Be("reordered");
        result.FirstBreak.Sequence.Should().Be(first);
        result.FirstBreak.Detail.Should().Contain($"sequence {second}");
    }

    [Fact]
    public async Task Truncating_the_tail_of_the_events_is_caught_at_the_first_event_removed()
    {
        var db = await ledgers.CopyAsync();
        (await AuditLedgers.ExecuteAsync(db, $"delete from {Events} where seq_id > 1500")).Should().Be((int)(ledgers.SeedEvents - 1500), "the last events are gone");

        var result = await VerifyAsync(db);

        result.FirstBreak!.Kind.Should().Be("missing-event");
        result.FirstBreak.Sequence.Should().Be(1501);
    }

    [Fact]
    public async Task Truncating_the_tail_with_its_seals_leaves_a_consistent_chain_that_no_longer_extends_a_kept_checkpoint()
    {
        var db = await ledgers.CopyAsync();
        var kept = await AuditLog.CheckpointAsync(db, TimeProvider.System, CancellationToken.None);
        await AuditLedgers.ExecuteAsync(db, $"delete from {Events} where seq_id > 1500; delete from {AuditChainSchema.Seals} where sequence > 1500");

        var result = await VerifyAsync(db, kept.Sequence, kept.Hash);

        result.Intact.Should().BeTrue("what is left is consistent: only a checkpoint kept outside shows the loss");
        result.Sequence.Should().Be(1500);
        result.Checkpoint!.Extended.Should().BeFalse();
        result.Checkpoint.Detail.Should().Contain("ends at sequence 1500").And.Contain("truncated");
    }

    [Fact]
    public async Task A_rewritten_seal_a_removed_seal_and_an_event_written_past_the_triggers_are_each_caught()
    {
        var rewritten = await ledgers.CopyAsync();
        await AuditLedgers.ExecuteAsync(rewritten, $"update {AuditChainSchema.Seals} set hash = sha256(hash) where sequence = 42");
        var result = await VerifyAsync(rewritten);
        (result.FirstBreak!.Kind, result.FirstBreak.Sequence).Should().Be(("seal-altered", 42L));

        var removed = await ledgers.CopyAsync();
        await AuditLedgers.ExecuteAsync(removed, $"delete from {AuditChainSchema.Seals} where sequence = 77");
        result = await VerifyAsync(removed);
        (result.FirstBreak!.Kind, result.FirstBreak.Sequence).Should().Be(("missing-seal", 77L));

        // Past the seed's last event, and at a version no document stream reaches (a seed document now states over a
        // thousand figures, so version + 1000 could be taken).
        var past = ledgers.SeedEvents + 1000;
        var unsealed = await ledgers.CopyAsync();
        await AuditLedgers.ExecuteAsync(unsealed, PastTheTriggers(CopiesSql("seq_id = 5", $"{past}", 1_000_000)));
        result = await VerifyAsync(unsealed);
        (result.FirstBreak!.Kind, result.FirstBreak.EventSequence).Should().Be(("unsealed-event", (long)past));
    }

    [Fact]
    public async Task An_event_written_past_the_triggers_is_not_sealed_by_a_later_write_and_is_still_reported()
    {
        // Numbered past what the log's sequence gives next, so that the next write's own events come before it.
        var past = ledgers.SeedEvents + 1000;
        var db = await ledgers.CopyAsync();
        await AuditLedgers.ExecuteAsync(db, PastTheTriggers(CopiesSql("seq_id = 5", $"{past}", 1_000_000)));
        // A later write through the triggers, in a transaction of its own: its events are sealed at its commit, and only they.
        await AuditLedgers.ExecuteAsync(db, CopiesSql("seq_id in (6, 7)", NextNumber, 2_000_000));

        (await AuditLedgers.ScalarAsync<long>(db, $"select count(*) from {AuditChainSchema.Seals}")).Should().Be(ledgers.SeedEvents + 2, "the later write's two events were sealed");
        var result = await VerifyAsync(db);
        (result.FirstBreak!.Kind, result.FirstBreak.EventSequence).Should().Be(("unsealed-event", (long)past),
            "an event no trigger saw is never sealed by someone else's commit: it stays for verification to report");
    }

    [Fact]
    public async Task An_event_inserted_through_the_triggers_with_an_earlier_number_is_sealed_but_named_against_a_checkpoint()
    {
        var db = await ledgers.CopyAsync();
        var kept = await AuditLog.CheckpointAsync(db, TimeProvider.System, CancellationToken.None);
        // A backdated insert: a number no event has (the seeds' run from 1), through the triggers, so it is sealed.
        await AuditLedgers.ExecuteAsync(db, CopiesSql("seq_id = 5", "0", 3_000_000, timestamp: "timestamp - interval '1 year'"));

        var result = await VerifyAsync(db, kept.Sequence, kept.Hash);

        result.Intact.Should().BeTrue("the chain seals an insert through its triggers like any write");
        result.Checkpoint!.Extended.Should().BeTrue();
        result.Checkpoint.NumberedBefore.Should().Be(new NumberedBeforeCheckpoint(1, ledgers.SeedEvents + 1, 0));
        result.Checkpoint.Detail.Should().Contain("numbered before its last event");
        (await VerifyAsync(await ledgers.CopyAsync(), kept.Sequence, kept.Hash)).Checkpoint!.NumberedBefore.Should().BeNull("nothing was written after it");
    }

    [Fact]
    public async Task An_event_dated_beyond_the_year_9999_is_verified_like_any_and_named_when_its_date_is_changed()
    {
        // Only a hand in the database writes such a date; .NET's DateTime cannot hold it, and verification used to fail on it.
        var db = await ledgers.CopyAsync();
        await AuditLedgers.ExecuteAsync(db, $"update {Events} set timestamp = '10000-01-01 00:00:00+00' where seq_id = 5");
        var result = await VerifyAsync(db);
        (result.FirstBreak!.Kind, result.FirstBreak.EventSequence).Should().Be(("metadata-altered", 5L));

        var sealedSo = await ledgers.CopyAsync();
        await AuditLedgers.ExecuteAsync(sealedSo, CopiesSql("seq_id = 6", NextNumber, 4_000_000, timestamp: "'12000-06-30 12:00:00+00'"));
        (await VerifyAsync(sealedSo)).Intact.Should().BeTrue("sealed through the triggers, its digest is recomputed like any other's");
    }

    [Fact]
    public async Task The_verify_command_exits_0_on_an_intact_log_and_1_naming_the_first_broken_event()
    {
        var db = await ledgers.CopyAsync();
        var kept = await AuditLog.CheckpointAsync(db, TimeProvider.System, CancellationToken.None);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = db }).Build();

        var output = new StringWriter();
        (await VerifyCommand.RunAsync(["verify", "--from", kept.Sequence.ToString(), "--hash", kept.Hash], config, output)).Should().Be(0, output.ToString());
        output.ToString().Should().Contain("intact").And.Contain("extended");

        var target = await EventAsync(db, "figure_disclosed", 123);
        await AuditLedgers.ExecuteAsync(db, $"update {Events} set data = data || '{{\"note\": \"changed later\"}}' where seq_id = {target}");
        output = new StringWriter();
        (await VerifyCommand.RunAsync(["verify"], config, output)).Should().Be(1);
        output.ToString().Should().Contain($"BROKEN at sequence {target}").And.Contain("data-altered");

        output = new StringWriter();
        (await VerifyCommand.RunAsync(["verify", "--from", "x"], config, output)).Should().Be(2);
        output.ToString().Should().Contain("--from");
    }
}
