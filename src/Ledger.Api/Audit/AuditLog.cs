using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Api.Database;
using Npgsql;

namespace Ledger.Api.Audit;

/// <summary>The head of the chain: keep it somewhere the ledger's operators cannot write, and verify against it later.</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, long? EventSequence, DateTimeOffset? SealedAt, DateTimeOffset At);

/// <summary>The first place where the log and its seals disagree.</summary>
/// <param name="Sequence">The chain's sequence (1, 2, 3 …) where it breaks.</param>
/// <param name="EventSequence">Marten's seq_id of the event concerned.</param>
/// <param name="Kind">data-altered, metadata-altered, reordered, missing-event, missing-seal, seal-altered or unsealed-event.</param>
public sealed record AuditBreak(long? Sequence, long? EventSequence, string? Stream, long? Version, string Kind, string Detail);

/// <summary>Whether the log recomputed from the events still passes through a checkpoint an auditor kept.</summary>
/// <param name="NumberedBefore">Events sealed after the checkpoint whose numbers come before its last event's; null when none.</param>
public sealed record CheckpointCheck(long Sequence, string? Hash, string? RecomputedHash, bool? Extended, string Detail, NumberedBeforeCheckpoint? NumberedBefore = null);

/// <summary>
/// Events sealed after a checkpoint but numbered (Marten's seq_id) before its last event: written after it with earlier
/// numbers, as an event inserted by hand through the triggers may be, which the chain seals like any write (the log still
/// extends the checkpoint). Only a write already running when the checkpoint was taken does so otherwise (a bulk load
/// numbers its rows before it takes the chain's lock).
/// </summary>
public sealed record NumberedBeforeCheckpoint(long Events, long FirstSequence, long FirstEventSequence);

public sealed record AuditVerification(
    bool Intact, long Sequence, string? Hash, long Events, long Seals, AuditBreak? FirstBreak, CheckpointCheck? Checkpoint, DateTimeOffset At, double Seconds);

/// <summary>
/// Reads the chain's head and verifies the whole log. Verification recomputes every digest in C# from the stored
/// columns (it does not trust the database's own digest function) and every link of the chain, and compares them
/// with the seals; the first disagreement is named.
/// </summary>
public static class AuditLog
{
    public static readonly string Genesis = new('0', 64);

    public static async Task<AuditCheckpoint> CheckpointAsync(string connectionString, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select sequence, hash, event_sequence, sealed_at from {AuditChainSchema.Seals} order by sequence desc limit 1", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return new AuditCheckpoint(0, Genesis, null, null, clock.GetUtcNow());
        return new AuditCheckpoint(reader.GetInt64(0), Hex((byte[])reader[1]), reader.GetInt64(2),
            new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero), clock.GetUtcNow());
    }

    private const string S = MartenSetup.Schema;

    private static readonly string WalkSql = $"""
        select s.sequence, s.event_sequence, s.stream_id, s.version, s.event_digest, s.data_digest, s.hash,
               e.seq_id, e.id, e.stream_id, e.version, e.type,
               -- The timestamp as the canonical form writes it, whatever its year (.NET's DateTime holds years 1 to 9999 only,
               -- and an event a hand wrote with another stopped verification with an error instead of being named).
               to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.tenant_id, e.mt_dotnet_type,
               e.correlation_id, e.causation_id, e.user_name, e.headers::text, e.data::text, e.bdata, e.is_archived::text
          from {AuditChainSchema.Seals} s left join {S}.mt_events e on e.seq_id = s.event_sequence
         order by s.sequence
        """;

    /// <summary>Verifies the whole log; with <paramref name="from"/> (and <paramref name="hash"/>), also whether it extends that checkpoint.</summary>
    public static async Task<AuditVerification> VerifyAsync(string connectionString, long? from, string? hash, TimeProvider clock, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // One snapshot for the walk and the counts, so that a write landing meanwhile is not taken for damage.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var exists = new NpgsqlCommand($"select to_regclass('{AuditChainSchema.Seals}') is not null and to_regclass('{S}.mt_events') is not null", connection, tx))
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
                return new AuditVerification(false, 0, null, 0, 0, new AuditBreak(null, null, null, null, "no-chain",
                    "this database has no sealed log (no seal table): start the service once on it to create and seal it"), null, clock.GetUtcNow(), watch.Elapsed.TotalSeconds);

        var walk = await WalkAsync(connection, tx, from, ct);
        var first = walk.First is { Kind: "data-altered" } altered ? await ReorderedAsync(connection, tx, altered, ct) : walk.First;
        var (events, seals, head) = await CountsAsync(connection, tx, ct);
        first ??= await FirstUnsealedAsync(connection, tx, ct);
        await tx.CommitAsync(ct);

        var checkpoint = from is { } f ? Checkpoint(f, hash, head, walk, first) : null;
        // The head hash only when every event could be recomputed; a missing event or seal leaves nothing to chain on.
        return new AuditVerification(first is null, head, walk.Recomputing ? Hex(walk.Recomputed) : null, events, seals, first, checkpoint, clock.GetUtcNow(), watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// What walking the seals in order found: the first break, the chain recomputed from the events (and whether every one
    /// could be), the hash at the checkpoint's sequence, and the events sealed after the checkpoint numbered before its last.
    /// </summary>
    private sealed record Walk(AuditBreak? First, byte[] Recomputed, bool Recomputing, string? HashAtFrom, long NumberedBefore,
        (long Sequence, long EventSequence)? FirstNumberedBefore);

    /// <summary>Every seal in order, its event's digest and the chain recomputed and compared with it.</summary>
    private static async Task<Walk> WalkAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long? from, CancellationToken ct)
    {
        AuditBreak? first = null;
        var recomputed = new byte[32];
        var expected = 0L;
        // An empty ledger's checkpoint (sequence 0) is the chain's start, which every log extends.
        string? hashAtFrom = from == 0 ? Genesis : null;
        var recomputing = true;
        // The checkpoint's last event, and the events sealed after it that are numbered before it.
        long? lastAtFrom = null;
        var numberedBefore = 0L;
        (long Sequence, long EventSequence)? firstNumberedBefore = null;
        await using var command = new NpgsqlCommand(WalkSql, connection, tx) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            expected++;
            var sequence = reader.GetInt64(0);
            var eventSequence = reader.GetInt64(1);
            if (from == sequence) lastAtFrom = eventSequence;
            else if (sequence > from && eventSequence < lastAtFrom)
            {
                numberedBefore++;
                firstNumberedBefore ??= (sequence, eventSequence);
            }
            var stream = reader.IsDBNull(2) ? null : reader.GetString(2);
            var version = reader.GetInt64(3);
            var sealedDigest = (byte[])reader[4];
            var sealedDataDigest = (byte[])reader[5];
            var sealedHash = (byte[])reader[6];
            if (sequence != expected)
            {
                first ??= new AuditBreak(expected, null, null, null, "missing-seal",
                    $"the chain jumps from sequence {expected - 1} to {sequence}: the seal of sequence {expected} was removed");
                recomputing = false;
                break;
            }
            if (reader.IsDBNull(7))
            {
                first ??= new AuditBreak(sequence, eventSequence, stream, version, "missing-event",
                    $"the event sealed at sequence {sequence} (event sequence {eventSequence}, stream '{stream}', version {version}) is no longer in the log");
                recomputing = false;
                break;
            }
            var data = reader.GetString(19);
            var digest = EventDigest(
                reader.GetInt64(7), reader.GetGuid(8), Text(reader, 9), reader.GetInt64(10), Text(reader, 11), Text(reader, 12),
                Text(reader, 13), Text(reader, 14), Text(reader, 15), Text(reader, 16), Text(reader, 17), Text(reader, 18), data,
                reader.IsDBNull(20) ? null : (byte[])reader[20], Text(reader, 21));
            recomputed = Link(recomputed, sequence, digest);
            if (from == sequence) hashAtFrom = Hex(recomputed);
            if (first is not null) continue;
            if (!digest.AsSpan().SequenceEqual(sealedDigest))
            {
                var dataDigest = SHA256.HashData(Encoding.UTF8.GetBytes(data));
                first = dataDigest.AsSpan().SequenceEqual(sealedDataDigest)
                    ? new AuditBreak(sequence, eventSequence, Text(reader, 9), reader.GetInt64(10), "metadata-altered",
                        "the event's payload is as sealed, but its type, stream, version, timestamp, id or metadata (correlation id, causation id, user name, headers) differ")
                    : new AuditBreak(sequence, eventSequence, Text(reader, 9), reader.GetInt64(10), "data-altered",
                        "the event's JSON payload differs from the payload sealed at this sequence");
            }
            else if (!recomputed.AsSpan().SequenceEqual(sealedHash))
                first = new AuditBreak(sequence, eventSequence, stream, version, "seal-altered",
                    "the event is as sealed, but the chain's hash at this sequence is not the one its predecessors give: a seal was rewritten");
        }
        return new Walk(first, recomputed, recomputing, hashAtFrom, numberedBefore, firstNumberedBefore);
    }

    /// <summary>An altered payload that is another sealed event's (two events swapped, or one copied over another): which; else the break as it was.</summary>
    private static async Task<AuditBreak> ReorderedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, AuditBreak altered, CancellationToken ct)
    {
        await using var same = new NpgsqlCommand(
            $"select s.sequence, s.event_sequence from {AuditChainSchema.Seals} s join {S}.mt_events e on e.seq_id = @seq where s.data_digest = sha256(convert_to(e.data::text, 'UTF8')) and s.sequence <> @sequence order by s.sequence limit 1",
            connection, tx);
        same.Parameters.AddWithValue("seq", altered.EventSequence!.Value);
        same.Parameters.AddWithValue("sequence", altered.Sequence!.Value);
        await using var reader = await same.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? altered with
            {
                Kind = "reordered",
                Detail = $"the event holds the payload sealed for sequence {reader.GetInt64(0)} (event sequence {reader.GetInt64(1)}): events were swapped or reordered",
            }
            : altered;
    }

    /// <summary>The events, the seals, and the chain's head sequence.</summary>
    private static async Task<(long Events, long Seals, long Head)> CountsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var count = new NpgsqlCommand($"select (select count(*) from {S}.mt_events), (select count(*) from {AuditChainSchema.Seals}), (select coalesce(max(sequence), 0) from {AuditChainSchema.Seals})", connection, tx);
        await using var reader = await count.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>The first event without a seal (written with the sealing triggers disabled or removed), if any.</summary>
    private static async Task<AuditBreak?> FirstUnsealedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var unsealed = new NpgsqlCommand(
            $"select e.seq_id, e.stream_id, e.version from {S}.mt_events e where not exists (select 1 from {AuditChainSchema.Seals} s where s.event_sequence = e.seq_id) order by e.seq_id limit 1",
            connection, tx);
        await using var reader = await unsealed.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new AuditBreak(null, reader.GetInt64(0), Text(reader, 1), reader.GetInt64(2), "unsealed-event",
                $"event sequence {reader.GetInt64(0)} has no seal: it was written with the sealing triggers disabled or removed")
            : null;
    }

    /// <summary>Whether the log extends the checkpoint of sequence <paramref name="from"/> (and <paramref name="hash"/>, if given).</summary>
    private static CheckpointCheck Checkpoint(long from, string? hash, long head, Walk walk, AuditBreak? first)
    {
        var given = hash?.ToLowerInvariant();
        if (from > head)
            return new CheckpointCheck(from, given, null, given is null ? null : false,
                $"the log's chain ends at sequence {head}, before the checkpoint's {from}: it was truncated (or the checkpoint is from another ledger)");
        if (!walk.Recomputing && first?.Sequence is { } broken && broken <= from)
            return new CheckpointCheck(from, given, null, given is null ? null : false,
                $"the log breaks at sequence {broken}, before the checkpoint: it can no longer be recomputed up to it");
        var hashAtFrom = walk.HashAtFrom;
        return new CheckpointCheck(from, given, hashAtFrom, given is null ? null : given == hashAtFrom,
            (given is null ? $"the hash recomputed from the events at sequence {from}; compare it with the one you kept"
            : given == hashAtFrom ? $"the events recomputed up to sequence {from} give the checkpoint's hash: the log extends it"
            : $"the events recomputed up to sequence {from} give another hash than the checkpoint's: the log was rewritten before it")
            + (walk.FirstNumberedBefore is { } early
                ? $"; {walk.NumberedBefore} event(s) sealed after it are numbered before its last event (the first: event sequence {early.EventSequence}, " +
                  $"sealed at {early.Sequence}): written after the checkpoint with earlier numbers, as an insert by hand through the triggers may be"
                : ""),
            walk.FirstNumberedBefore is { } e ? new NumberedBeforeCheckpoint(walk.NumberedBefore, e.Sequence, e.EventSequence) : null);
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    /// <summary>The chain's step: SHA-256(previous hash ‖ sequence as 8 bytes big-endian ‖ event digest), as the trigger computes it.</summary>
    public static byte[] Link(byte[] previous, long sequence, byte[] digest)
    {
        Span<byte> buffer = stackalloc byte[72];
        previous.CopyTo(buffer);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(buffer[32..], sequence);
        digest.CopyTo(buffer[40..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>
    /// The event's canonical form, as <c>audit_event_digest</c> in <see cref="AuditChainSchema.Script"/> builds it:
    /// "ledger-event-v1" then each column as '-' (null) or its UTF-8 byte length, ':' and its text.
    /// </summary>
    /// <param name="timestamp">In UTC, ISO 8601 to the microsecond, as PostgreSQL prints it (the walk's <c>to_char</c>, the one the sealing uses).</param>
    public static byte[] EventDigest(long seqId, Guid id, string? stream, long version, string? type, string? timestamp, string? tenant,
        string? dotnetType, string? correlationId, string? causationId, string? userName, string? headers, string? data, byte[]? bdata, string? archived)
    {
        var text = new StringBuilder("ledger-event-v1");
        void Field(string? v) => text.Append(v is null ? "-" : $"{Encoding.UTF8.GetByteCount(v)}:{v}");
        Field(seqId.ToString(CultureInfo.InvariantCulture));
        Field(id.ToString("D"));
        Field(stream);
        Field(version.ToString(CultureInfo.InvariantCulture));
        Field(type);
        Field(timestamp);
        Field(tenant);
        Field(dotnetType);
        Field(correlationId);
        Field(causationId);
        Field(userName);
        Field(headers);
        Field(data);
        Field(bdata is null ? null : Convert.ToHexStringLower(bdata));
        Field(archived);
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
