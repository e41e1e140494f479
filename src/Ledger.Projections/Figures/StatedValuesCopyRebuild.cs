using System.Text.Json;
using System.Threading.Channels;
using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Marten;
using Marten.Events;
using Npgsql;

namespace Ledger.Projections.Figures;

/// <summary>
/// Rebuilds the stated-value rows from the log: the table emptied, the figure events read in sequence order and folded
/// (<see cref="StatedValueFold"/>, as inline), the rows streamed in with binary COPY, committed. Marten's daemon would
/// replay the log in batches, each a deserialized page of events and an insert; COPY is what PostgreSQL offers for many
/// rows, and a rebuild is nothing but many rows. The table's secondary indexes are dropped for the COPY and built once
/// the rows are in (a sort, instead of a descent per row and index), so the rows carry their positions from here and a
/// correction's deletes wait for the COPY, bounded by the position the correction came at.
/// <para>
/// The statements' lines are worked out in the same transaction, from the rows set aside by entity as they were written
/// (<see cref="Statements.StatementLinesCopyRebuild"/>), and copied in after them. Then, the rows and lines committed,
/// the indexes and the lines' key are built at the same time on two connections, each step in a transaction of its own,
/// so that PostgreSQL builds them on two cores. Readers are turned away meanwhile by the rebuild's mark
/// (<c>RebuildGate</c>), not by a transaction; a write waits for the transaction that emptied the tables, then reads the
/// rows it finds and stores its own lines.
/// </para>
/// </summary>
internal static class StatedValuesCopyRebuild
{
    public const string Columns =
        "figure, entity, concept, period, scope, dimensions, kind, document_id, published_on, known_no_later_than, cited_by, sequence, value, decimals, unit, " +
        "location_table, location_row, location_line, details, recorded_by, recorded_at, recording_reason, correlation_id, history_details";

    /// <summary>The rows a correction replaces: what the document stated for the figure, and what it cited as earlier documents'.</summary>
    public static string DeleteCorrectedSql(string schema, string figure = "?", string document = "?", string citingDocument = "?") =>
        $"delete from {schema}.{StatedValueTables.StatedValues} where {WithdrawnWhere(figure, document, citingDocument)}";

    private static string WithdrawnWhere(string figure, string document, string citingDocument) =>
        $"figure = {figure} and ((document_id = {document} and kind <> '{StatementKinds.Cited}') or cited_by = {citingDocument})";

    /// <summary>Whether a correction of what <paramref name="document"/> stated withdraws the row <paramref name="value"/> (<see cref="DeleteCorrectedSql"/>, in memory).</summary>
    public static bool Withdraws(string document, StatedValue value) =>
        (value.Document.Id == document && value.Kind != StatementKinds.Cited) || value.CitedBy == document;

    private static readonly Type[] FoldedEvents = [typeof(DocumentRecorded), typeof(FigureDisclosed), typeof(FigureRestated), typeof(DisclosureCorrected)];

    /// <summary>The events the fold reads, by their names in the log.</summary>
    internal static Dictionary<string, Type> FoldedEventTypes(StoreOptions options) =>
        FoldedEvents.ToDictionary(t => ((EventGraph)options.Events).EventMappingFor(t).EventTypeName, t => t, StringComparer.Ordinal);

    /// <summary>The log's read, in sequence order: the events whose type is in <paramref name="types"/> (an array: a parameter, or a literal where there can be none, in a COPY).</summary>
    internal static string LogReadSql(string schema, string types) =>
        $"select seq_id, stream_id, type, data from {schema}.mt_events where type = any({types}) and is_archived = false order by seq_id";

    /// <summary>The stated values' indexes as the last step shares them out: the first two on one backend, the rest on the other (which then builds the lines' keys).</summary>
    internal static (List<Weasel.Postgresql.Tables.IndexDefinition> First, List<Weasel.Postgresql.Tables.IndexDefinition> Second) IndexesByBackend(Weasel.Postgresql.Tables.Table table) =>
        (table.Indexes.Take(2).ToList(), table.Indexes.Skip(2).ToList());

    /// <param name="files">How many files the rows are set aside in for the lines (<see cref="Statements.StatedValuesByEntity"/>): by the log's size, or as a test asks.</param>
    public static async Task RunAsync(IDocumentStore store, string schema, CancellationToken ct, int? files = null)
    {
        var options = (StoreOptions)store.Options;
        var serializer = options.Serializer();
        var types = FoldedEventTypes(options);

        var table = StatedValueTables.StatedValuesTable(schema);
        await WriteRowsAsync(store, schema, table, serializer, types, files, ct);
        // Built at the same time, on two backends, one a core: the indexes (as the table declares them, so that the schema
        // check at start finds nothing to change), the first two on one and the third on the other, which then builds the
        // lines' key and index. Every row is new: the planner's statistics are taken once the indexes are built, so that
        // the first reads after the rebuild are planned on what the table holds. Left to autovacuum, which may be busy with
        // the tables for minutes, a table without statistics was estimated at thousands of rows per figure, and one
        // figure's read was planned as costly enough to be compiled (JIT): 7 ms instead of 0.4 at large. The stated
        // values' statistics come after the first two indexes, on their backend: ANALYZE waits for an index being built
        // on the table (its lock conflicts with CREATE INDEX's), and the third is mostly done by then. Until 2026-12-06
        // the lines' keys had a third backend and the statistics came after all: the two cores were shared three ways
        // and, for the last second or so, one of them was idle (a `medium` rebuild sampled by `perf`).
        // Whichever fails stops the other; each rolls back, and the rebuild's mark stays for the next to redo it.
        Func<NpgsqlConnection> connect = () => (NpgsqlConnection)store.Storage.Database.CreateConnection();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var (first, second) = IndexesByBackend(table);
        await Task.WhenAll(
            StopsAllOnFailure(Task.Run(async () =>
            {
                await IndexAsync(connect, schema, table, first, failed.Token);
                await AnalyzeAsync(connect, $"{schema}.{StatedValueTables.StatedValues}, {schema}.{StatedValueTables.TranscriptionCorrections}", failed.Token);
            }, CancellationToken.None), failed),
            StopsAllOnFailure(Task.Run(async () =>
            {
                await IndexAsync(connect, schema, table, second, failed.Token);
                await Statements.StatementLinesCopyRebuild.KeysAsync(connect, schema, failed.Token);
            }, CancellationToken.None), failed));
    }

    private static async Task AnalyzeAsync(Func<NpgsqlConnection> connect, string tables, CancellationToken ct)
    {
        await using var connection = connect();
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, $"analyze {tables}", ct);
    }

    private static async Task StopsAllOnFailure(Task work, CancellationTokenSource all)
    {
        try
        {
            await work;
        }
        catch
        {
            await all.CancelAsync();
            throw;
        }
    }

    private static async Task IndexAsync(Func<NpgsqlConnection> connect, string schema, Weasel.Postgresql.Tables.Table table,
        IReadOnlyList<Weasel.Postgresql.Tables.IndexDefinition> indexes, CancellationToken ct)
    {
        await using var connection = connect();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Dropped first if there: the rows were committed without them, and a service starting meanwhile in another
        // process has its schema check create them. Built by one process each, not by PostgreSQL's parallel workers: two
        // workers and a leader spent 4.4 s of CPU on the three indexes where one backend spends 3.2 (2.6 s and 3.2 s of
        // wall alone; docs/benchmarks.md, "Keys in byte order, COPY rows encoded here", 2026-12-06); the two cores are
        // shared out by building them on two connections instead.
        await ExecuteAsync(connection, "set local maintenance_work_mem = '512MB'; set local max_parallel_maintenance_workers = 0; " +
            DropIndexesSql(schema, indexes) + CreateIndexesSql(table, indexes), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The rows and the statements' lines, in one transaction: the tables emptied, the log folded into a COPY (the rows set
    /// aside by entity meanwhile), the corrections applied, the lines worked out from the rows set aside and copied in,
    /// committed.
    /// </summary>
    private static async Task WriteRowsAsync(IDocumentStore store, string schema, Weasel.Postgresql.Tables.Table table,
        Marten.ISerializer serializer, Dictionary<string, Type> types, int? files, CancellationToken ct)
    {
        await using var write = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await write.OpenAsync(ct);
        await using var transaction = await write.BeginTransactionAsync(ct);
        // The stated values first, then the lines: in the order a write locks them (its rows, then their lines).
        await ExecuteAsync(write,
            $"truncate {schema}.{StatedValueTables.StatedValues}, {schema}.{StatedValueTables.TranscriptionCorrections}; " +
            DropIndexesSql(schema, table) + ByteOrderColumn.AlterSql(table) +
            ByteOrderColumn.AlterSql(StatedValueTables.TranscriptionCorrectionsTable(schema)) +
            Statements.StatementLinesCopyRebuild.EmptySql(schema), ct);

        // Read after the tables are emptied: a transaction writing rows inline finishes before the truncate, and its events
        // are then in this read; one that writes after waits for this commit, and its events are not.
        await using var lookup = store.QuerySession();
        var fold = new StatedValueFold((id, token) => RecordedAsync(lookup, schema, id, token));
        await using var source = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await source.OpenAsync(ct);
        using var byEntity = new Statements.StatedValuesByEntity(files ?? Statements.StatedValuesByEntity.FilesFor(await LastSequenceAsync(source, schema, ct)));
        await using var events = new NpgsqlCommand(LogReadSql(schema, "$1"), source)
        {
            Parameters = { new() { Value = types.Keys.ToArray() } },
            CommandTimeout = 0,
        };
        // Two stages on two threads: reading and deserializing the log, and folding and writing the rows.
        // Pages of 1,000 events, so that handing over costs nothing beside the work.
        var read = Channel.CreateBounded<List<(object Data, string Stream, long Sequence)>>(
            new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(async () =>
        {
            try
            {
                await using var reader = await events.ExecuteReaderAsync(failed.Token);
                var page = new List<(object, string, long)>(1_000);
                while (await reader.ReadAsync(failed.Token))
                {
                    page.Add((serializer.FromJson(types[reader.GetString(2)], reader, 3), reader.GetString(1), reader.GetInt64(0)));
                    if (page.Count < 1_000) continue;
                    await read.Writer.WriteAsync(page, failed.Token);
                    page = new List<(object, string, long)>(1_000);
                }
                if (page.Count > 0) await read.Writer.WriteAsync(page, failed.Token);
                read.Writer.Complete();
            }
            catch (Exception e)
            {
                read.Writer.Complete(e);
            }
        }, CancellationToken.None); // always runs, so that the channel is always completed
        await using var sink = new CopySink(write, schema, byEntity);
        try
        {
            await foreach (var page in read.Reader.ReadAllAsync(failed.Token))
                foreach (var (data, stream, sequence) in page)
                    await fold.ApplyAsync(data, stream, sequence, sink, failed.Token);
        }
        catch
        {
            // The reader stops too; the transaction is rolled back on disposal.
            await failed.CancelAsync();
            await reading;
            throw;
        }
        await reading;
        await sink.CompleteAsync();
        // The deferred corrections, the lines from the rows set aside, and the position sequence moved past the rows numbered here.
        await sink.ApplyCorrectionsAsync(ct);
        await Statements.StatementLinesCopyRebuild.CopyAsync(write, schema, byEntity, sink.Withdrawn, ct);
        await ExecuteAsync(write,
            $"select setval(pg_get_serial_sequence('{schema}.{StatedValueTables.StatedValues}', 'position'), " +
            $"coalesce((select max(position) from {schema}.{StatedValueTables.StatedValues}), 0) + 1, false)", ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The document a stream records (its date) and who recorded it, from its DocumentRecorded event in the log: the
    /// stream's first event, looked up by its key. Only a stream that does not open with it (none the ledger writes) is
    /// searched: within a package's own uncommitted transaction, unknown to the statistics, the planner's search read the
    /// whole stream, 2 to 24 ms a chunk growing with the package (25 lookups, 0.29 s of a 100,000-fact package).
    /// </summary>
    public static async Task<StatedValueFold.RecordedDocument> RecordedAsync(IQuerySession session, string schema, string documentId, CancellationToken ct)
    {
        var stream = StreamKeys.Document(documentId);
        var json = (await session.AdvancedSql.QueryAsync<string>(
                $"select data::text from {schema}.mt_events where stream_id = ? and version = 1 and type = 'document_recorded'", ct, stream)).SingleOrDefault()
            ?? (await session.AdvancedSql.QueryAsync<string>(
                $"select data::text from {schema}.mt_events where stream_id = ? and type = 'document_recorded' order by version limit 1", ct, stream)).SingleOrDefault()
            ?? throw new InvalidOperationException($"Figure events of document '{documentId}' without the document's DocumentRecorded event.");
        return StatedValueFold.RecordedOf(JsonSerializer.Deserialize<DocumentRecorded>(json, StatedValueJson.Options)!);
    }

    /// <summary>The log's last sequence number (by its key: nothing is read), which sizes the files the rows are set aside in.</summary>
    private static async Task<long> LastSequenceAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {schema}.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Drops a table's secondary indexes, where they are, for a COPY into it: built after it by sorting (<see cref="CreateIndexesSql"/>) instead of a descent per row.</summary>
    internal static string DropIndexesSql(string schema, Weasel.Postgresql.Tables.Table table) => DropIndexesSql(schema, table.Indexes);

    /// <summary>Some of a table's secondary indexes dropped, where they are.</summary>
    internal static string DropIndexesSql(string schema, IEnumerable<Weasel.Postgresql.Tables.IndexDefinition> indexes) =>
        string.Concat(indexes.Select(i => $"drop index if exists {schema}.{i.Name}; "));

    /// <summary>A table's secondary indexes as it declares them, so that the schema check at start finds nothing to change.</summary>
    internal static string CreateIndexesSql(Weasel.Postgresql.Tables.Table table) => CreateIndexesSql(table, table.Indexes);

    /// <summary>Some of a table's secondary indexes, as it declares them.</summary>
    internal static string CreateIndexesSql(Weasel.Postgresql.Tables.Table table, IEnumerable<Weasel.Postgresql.Tables.IndexDefinition> indexes) =>
        string.Concat(indexes.Select(i => i.ToDDL(table) + "; "));

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Rows into one binary COPY, numbered in the order they come. A correction is kept with the position it came at and
    /// applied after the COPY: it deletes the rows it replaces that came before it, which is what it deleted live.
    /// <para>
    /// FREEZE, as the table was truncated in this transaction: the rows are written visible to all and frozen, so the
    /// first reads after the rebuild need not mark every page they touch, nor autovacuum freeze them later. MVCC bends,
    /// as it does for the TRUNCATE already: a transaction that began before the rebuild and reads after it sees the new
    /// rows (without FREEZE, an empty table; never the old rows).
    /// The COPY took 5.6–6.0 s at `medium` with it, 5.8–7.4 without, in runs too noisy to claim more than no loss.
    /// </para>
    /// </summary>
    private sealed class CopySink(NpgsqlConnection connection, string schema, Statements.StatedValuesByEntity byEntity) : IStatedValueSink, IAsyncDisposable
    {
        private BinaryCopyRows? _copy;
        private long _position;
        private readonly List<(DisclosureCorrected Correction, StatedValueCorrectionRow Kept, long Before)> _corrections = [];

        public async ValueTask AddAsync(StatedValueRow row, CancellationToken ct)
        {
            _copy ??= await BinaryCopyRows.BeginAsync(connection, $"copy {schema}.{StatedValueTables.StatedValues} (position, {Columns}) from stdin (format binary, freeze)", ct);
            var (key, s, copy) = (row.Key, row.Value, _copy);
            // Written synchronously: a full buffer only waits for PostgreSQL, which reads it meanwhile.
            copy.StartRow(25);
            copy.Bigint(++_position);
            copy.Text(row.Figure);
            copy.Text(key.Entity);
            copy.Text(key.Concept);
            copy.Text(key.Period);
            copy.Text(key.Scope);
            copy.Text(key.DimensionsText);
            copy.Text(s.Kind);
            copy.Text(s.Document.Id);
            copy.DateOrNull(s.Document.PublishedOn);
            copy.DateOrNull(s.Document.KnownNoLaterThan);
            copy.TextOrNull(s.CitedBy);
            copy.Integer(s.Sequence);
            copy.NumericOrNull(s.Value.Value.Value);
            copy.IntegerOrNull(s.Value.Value.Decimals);
            copy.Text(s.Value.Value.Unit);
            copy.TextOrNull(s.Location.Table);
            copy.TextOrNull(s.Location.Row);
            copy.IntegerOrNull(s.Location.Line);
            copy.JsonOrNull(row.Details);
            copy.Text(s.Recording.RecordedBy);
            copy.Timestamp(StatedValueTables.RecordedAt(s.Recording));
            copy.Text(s.Recording.Reason);
            copy.TextOrNull(s.Recording.CorrelationId);
            copy.JsonOrNull(row.HistoryDetails);
            byEntity.Add(_position, row);
        }

        /// <summary>The corrections met: the figure, the document whose values each withdrew, and the position it came at.</summary>
        public IReadOnlyList<(string Figure, string Document, long CameAt)> Withdrawn =>
            _corrections.Select(c => (c.Correction.Figure, c.Correction.DocumentId, c.Before)).ToList();

        public Task CorrectAsync(DisclosureCorrected c, StatedValueCorrectionRow kept, CancellationToken ct)
        {
            _corrections.Add((c, kept, _position + 1));
            return Task.CompletedTask;
        }

        /// <summary>
        /// The corrections' deletes, all in one, by one scan of the rows (their indexes are built after): a row goes if a
        /// correction withdraws it and came after it, which is what the corrections deleted live one after another, as a
        /// delete only ever removes. Then the corrections kept, in the order they came.
        /// </summary>
        public async Task ApplyCorrectionsAsync(CancellationToken ct)
        {
            if (_corrections.Count == 0) return;
            await using (var delete = new NpgsqlCommand(
                $"delete from {schema}.{StatedValueTables.StatedValues} using unnest($1::text[], $2::text[], $3::bigint[]) as c(corrected_figure, corrected_document, came_at) " +
                $"where {WithdrawnWhere("c.corrected_figure", "c.corrected_document", "c.corrected_document")} and position < c.came_at", connection)
            {
                Parameters =
                {
                    new() { Value = _corrections.Select(c => c.Correction.Figure).ToArray() },
                    new() { Value = _corrections.Select(c => c.Correction.DocumentId).ToArray() },
                    new() { Value = _corrections.Select(c => c.Before).ToArray() },
                },
                CommandTimeout = 0,
            })
                await delete.ExecuteNonQueryAsync(ct);
            foreach (var (_, kept, _) in _corrections)
            {
                await using var insert = new NpgsqlCommand(
                    $"insert into {schema}.{StatedValueTables.TranscriptionCorrections} (figure, entity, period, document_id, correction) values ($1, $2, $3, $4, $5::jsonb)", connection)
                {
                    Parameters = { new() { Value = kept.Figure }, new() { Value = kept.Entity }, new() { Value = kept.Period }, new() { Value = kept.DocumentId }, new() { Value = kept.Json } },
                };
                await insert.ExecuteNonQueryAsync(ct);
            }
        }

        public async Task CompleteAsync()
        {
            if (_copy is null) return;
            await _copy.CompleteAsync();
            await _copy.DisposeAsync();
            _copy = null;
        }

        public async ValueTask DisposeAsync()
        {
            if (_copy is not null) await _copy.DisposeAsync();
        }
    }
}
