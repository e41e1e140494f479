using System.Threading.Channels;
using Ledger.Domain.History;
using Ledger.Projections.Figures;
using Npgsql;

namespace Ledger.Projections.Statements;

/// <summary>
/// The statements' lines worked out again from every stated-value row, after a rebuild committed those rows
/// (<see cref="StatedValuesCopyRebuild"/>): each figure's rows in order, its lines (<see cref="KnownStatementLines"/>), the
/// same as a write works out for the figures it changes, streamed in with binary COPY.
/// <para>
/// Three connections, so that PostgreSQL reads the rows on one backend while it stores the lines on another and this
/// process works between them (on one connection, as until 2026-12-06, a page was fetched, worked out and copied in turn):
/// the table is emptied and filled in one transaction on the writing connection, and the rows are read after it was
/// emptied. A write that changes figures meanwhile either committed before, and its rows are read, or waits for this
/// commit to store its own lines, which it works out from its rows.
/// </para>
/// </summary>
internal static class StatementLinesCopyRebuild
{
    /// <summary>
    /// Lines of one entity held back, so that its statements are copied in together (<see cref="StatementLineRows.SortAsStored"/>):
    /// once this many are held, the next figure's go into the next run of rows (memory stays bounded, and such an entity's
    /// statements are in more than one run).
    /// </summary>
    public const int HeldAtMost = 50_000;

    /// <summary>Figures handed from the reading thread to the working one at a time.</summary>
    private const int FiguresPerBatch = 1_000;

    /// <param name="connect">A new connection to the ledger's database.</param>
    /// <param name="heldAtMost">Lines of one entity held back at most: <see cref="HeldAtMost"/>, fewer in tests.</param>
    public static async Task RunAsync(Func<NpgsqlConnection> connect, string schema, CancellationToken ct, int heldAtMost = HeldAtMost)
    {
        await using var write = connect();
        await write.OpenAsync(ct);
        await using var transaction = await write.BeginTransactionAsync(ct);
        // The key and the index go for the COPY and are built after it, by sorting, as the stated values' are: a line's
        // insertion into each was 3.3 s of PostgreSQL's against 2.3 for the copy and both builds (medium's 522,778 lines).
        var table = StatementLineTable.Of(schema);
        await StatedValuesCopyRebuild.ExecuteAsync(write,
            $"truncate {schema}.{StatementLineTable.Name}; alter table {schema}.{StatementLineTable.Name} drop constraint if exists {table.PrimaryKeyName}; " +
            StatedValuesCopyRebuild.DropIndexesSql(schema, table) + ByteOrderColumn.AlterSql(table), ct);

        var read = Channel.CreateBounded<List<(string Figure, List<StatedValue> Rows)>>(
            new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(() => ReadAsync(connect, schema, read.Writer, failed.Token), CancellationToken.None);
        try
        {
            // FREEZE, as the table was emptied in this transaction (StatedValuesCopyRebuild.CopySink says why).
            await using var copy = await BinaryCopyRows.BeginAsync(write,
                $"copy {schema}.{StatementLineTable.Name} ({StatementLineTable.Columns}) from stdin (format binary, freeze)", failed.Token);
            var keyParts = new KeyParts();
            var held = new List<(string Entity, KnownStatementLine Known)>();
            await foreach (var batch in read.Reader.ReadAllAsync(failed.Token))
                foreach (var (figure, rows) in batch)
                {
                    var history = FigureHistory.Of(figure, rows, [], keyParts);
                    // The rows come in the figures' byte order, in which each entity's keys ("entity|…") are together.
                    if (held.Count > 0 && (held[^1].Entity != history.Entity || held.Count >= heldAtMost))
                        Copy(copy, held);
                    foreach (var known in KnownStatementLines.Of(history)) held.Add((history.Entity, known));
                }
            Copy(copy, held);
            await copy.CompleteAsync();
        }
        catch
        {
            // The reader stops too (it never throws: it completes the channel with its failure).
            await failed.CancelAsync();
            await reading;
            throw;
        }
        await reading;
        // As the table declares them (so that the schema check at start finds nothing to change).
        await StatedValuesCopyRebuild.ExecuteAsync(write,
            $"set local maintenance_work_mem = '256MB'; alter table {schema}.{StatementLineTable.Name} add constraint {table.PrimaryKeyName} " +
            $"primary key ({string.Join(", ", table.PrimaryKeyColumns)}); " + StatedValuesCopyRebuild.CreateIndexesSql(table) +
            $"analyze {schema}.{StatementLineTable.Name}", ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Every stated-value row, by figure and then in the order the ledger learnt them, in batches of whole figures.</summary>
    private static async Task ReadAsync(Func<NpgsqlConnection> connect, string schema, ChannelWriter<List<(string Figure, List<StatedValue> Rows)>> batches, CancellationToken ct)
    {
        try
        {
            await using var connection = connect();
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            // Byte order ("C"): each entity's figures together whatever the database's collation, and no locale's rules to
            // apply in the sort. Not compiled (JIT): the plan is one sort of the table, whatever it costs.
            await StatedValuesCopyRebuild.ExecuteAsync(connection, "set local work_mem = '256MB'; set local jit = off", ct);
            await using var command = new NpgsqlCommand(
                $"select {FigureReads.StatementColumns} from {schema}.{StatedValueTables.StatedValues} " +
                $"order by figure collate \"C\", {FigureReads.StatementPosition}", connection) { CommandTimeout = 0 };
            await using var reader = await command.ExecuteReaderAsync(ct);
            var parts = new FigureReads.SharedRowParts();
            var (figures, batch) = (0L, new List<(string Figure, List<StatedValue> Rows)>(FiguresPerBatch));
            List<StatedValue>? rows = null;
            string? figure = null;
            while (await reader.ReadAsync(ct))
            {
                var next = reader.GetString(0);
                if (next != figure)
                {
                    if (batch.Count == FiguresPerBatch)
                    {
                        await batches.WriteAsync(batch, ct);
                        batch = new(FiguresPerBatch);
                    }
                    // What the rows share (their documents) is made once per 25,000 figures, not held for the whole table.
                    if (++figures % 25_000 == 0) parts = new FigureReads.SharedRowParts();
                    (figure, rows) = (next, []);
                    batch.Add((next, rows));
                }
                rows!.Add(FigureReads.StatementValueOf(reader, parts));
            }
            if (batch.Count > 0) await batches.WriteAsync(batch, ct);
            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
        }
    }

    private static void Copy(BinaryCopyRows copy, List<(string Entity, KnownStatementLine Known)> lines)
    {
        StatementLineRows.SortAsStored(lines);
        foreach (var (entity, known) in lines) StatementLineRows.Copy(copy, entity, known);
        lines.Clear();
    }
}
