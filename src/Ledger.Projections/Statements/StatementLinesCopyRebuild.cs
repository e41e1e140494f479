using System.Threading.Channels;
using Ledger.Domain.Figures;
using Ledger.Projections.Figures;
using Npgsql;

namespace Ledger.Projections.Statements;

/// <summary>
/// The statements' lines worked out again in a rebuild (<see cref="StatedValuesCopyRebuild"/>), from the stated values it
/// set aside by entity as it wrote them (<see cref="StatedValuesByEntity"/>), less those a correction withdrew: each
/// figure's rows in order, its lines (<see cref="KnownStatementLines"/>), the same as a write works out for the figures it
/// changes, streamed in with binary COPY in the rebuild's own transaction, which emptied the table. Its key and index are
/// built after the commit (<see cref="KeysAsync"/>), beside the stated values' indexes.
/// <para>
/// One transaction for the rows and the lines: a write that changes figures waits for it whole, then reads the rebuilt
/// rows and stores its own lines. Until 2026-12-06 the lines were worked out in a transaction of their own after the rows
/// were committed, read back from the table; a write could then come between the two and have its lines worked out from
/// its rows there, which the rows set aside here do not hold.
/// </para>
/// </summary>
internal static class StatementLinesCopyRebuild
{
    /// <summary>Threads working out lines, beside the one copying them in and PostgreSQL storing them.</summary>
    private const int Workers = 2;

    /// <summary>
    /// Lines of one entity held back, so that its statements are copied in together: once this many are held, they go
    /// (memory stays bounded, and such an entity's statements are in more than one run of rows).
    /// </summary>
    public const int HeldAtMost = 50_000;

    /// <summary>
    /// The table emptied for the COPY, its key and index gone: built after it, by sorting, as the stated values' are (a
    /// line's insertion into each was 3.3 s of PostgreSQL's against 2.3 for the copy and both builds, `medium`'s 522,778 lines).
    /// </summary>
    public static string EmptySql(string schema)
    {
        var table = StatementLineTable.Of(schema);
        return $"truncate {schema}.{StatementLineTable.Name}; " + DropKeysSql(schema, table) + ByteOrderColumn.AlterSql(table);
    }

    /// <summary>The table's key and index dropped, where they are.</summary>
    private static string DropKeysSql(string schema, Weasel.Postgresql.Tables.Table table) =>
        $"alter table {schema}.{StatementLineTable.Name} drop constraint if exists {table.PrimaryKeyName}; " +
        StatedValuesCopyRebuild.DropIndexesSql(schema, table);

    /// <param name="write">The rebuild's connection, in the transaction that emptied the table (<see cref="EmptySql"/>).</param>
    /// <param name="withdrawn">The corrections met in the log: the figure, the document whose values it withdrew, and the position it came at.</param>
    public static async Task CopyAsync(NpgsqlConnection write, string schema, StatedValuesByEntity rows,
        IReadOnlyList<(string Figure, string Document, long CameAt)> withdrawn, CancellationToken ct)
    {
        var corrections = withdrawn.ToLookup(c => c.Figure, StringComparer.Ordinal);
        // Files are worked out two at a time; each entity's lines copied in together.
        var worked = Channel.CreateBounded<List<(string Entity, KnownStatementLine Known)>>(
            new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = false });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var next = -1;
        var workers = Enumerable.Range(0, Workers)
            .Select(_ => Task.Run(() => WorkOutAsync(rows, () => Interlocked.Increment(ref next), corrections, worked.Writer, failed), CancellationToken.None))
            .ToList();
        // Ended with the workers' failure, or as cancelled if they were stopped: never as complete unless every file was worked out.
        var working = Task.WhenAll(workers).ContinueWith(all => worked.Writer.TryComplete(all.IsCompletedSuccessfully ? null
            : all.Exception?.InnerException ?? new OperationCanceledException(failed.Token)), TaskScheduler.Default);
        try
        {
            // FREEZE, as the table was emptied in this transaction (StatedValuesCopyRebuild.CopySink says why).
            await using var copy = await BinaryCopyRows.BeginAsync(write,
                $"copy {schema}.{StatementLineTable.Name} ({StatementLineTable.Columns}) from stdin (format binary, freeze)", failed.Token);
            await foreach (var lines in worked.Reader.ReadAllAsync(failed.Token))
                foreach (var (entity, known) in lines)
                    StatementLineRows.Copy(copy, entity, known);
            await copy.CompleteAsync();
        }
        catch (Exception e)
        {
            // The workers stop too.
            await failed.CancelAsync();
            await working;
            // A worker failed and so stopped this copy: its failure is the one to report, not the cancellation.
            if (e is OperationCanceledException && !ct.IsCancellationRequested && workers.FirstOrDefault(w => w.IsFaulted) is { } failedWorker)
                await failedWorker;
            throw;
        }
        await working;
    }

    /// <summary>
    /// The lines of the files it takes (<paramref name="take"/>: the next file's number), an entity's at a time, put in the
    /// order they are stored in (<see cref="StatementLineRows.SortAsStored"/>), so that each statement's lines are copied in
    /// together: a file holds whole entities and gives its figures in their keys' order, each entity's together. A failure
    /// stops the other worker.
    /// </summary>
    private static async Task WorkOutAsync(StatedValuesByEntity rows, Func<int> take, ILookup<string, (string Figure, string Document, long CameAt)> corrections,
        ChannelWriter<List<(string Entity, KnownStatementLine Known)>> worked, CancellationTokenSource failed)
    {
        try
        {
            var keyParts = new KeyParts();
            for (var file = take(); file < rows.Count; file = take())
            {
                var held = new List<(string Entity, KnownStatementLine Known)>();
                foreach (var (figure, values) in rows.Figures(file))
                {
                    // What a correction withdrew before it came, as the rebuild's delete of the rows (and a write) does.
                    foreach (var (_, document, cameAt) in corrections[figure])
                        values.RemoveAll(v => v.Position < cameAt && StatedValuesCopyRebuild.Withdraws(document, v.Value));
                    if (values.Count == 0) continue;
                    var statements = new StatedValue[values.Count];
                    for (var i = 0; i < statements.Length; i++) statements[i] = values[i].Value;
                    var history = FigureHistory.Of(figure, statements, [], keyParts);
                    if (held.Count > 0 && (held[^1].Entity != history.Entity || held.Count >= HeldAtMost))
                    {
                        await HandOverAsync(held, worked, failed.Token);
                        held = [];
                    }
                    foreach (var known in KnownStatementLines.Of(history)) held.Add((history.Entity, known));
                }
                await HandOverAsync(held, worked, failed.Token);
            }
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
    }

    private static async Task HandOverAsync(List<(string Entity, KnownStatementLine Known)> lines, ChannelWriter<List<(string Entity, KnownStatementLine Known)>> worked, CancellationToken ct)
    {
        if (lines.Count == 0) return;
        StatementLineRows.SortAsStored(lines);
        await worked.WriteAsync(lines, ct);
    }

    /// <summary>
    /// The key and the index, as the table declares them (so that the schema check at start finds nothing to change), and
    /// the planner's statistics, in a transaction of their own after the lines were committed; dropped first if there, as
    /// a service starting meanwhile in another process has its schema check create them.
    /// </summary>
    public static async Task KeysAsync(Func<NpgsqlConnection> connect, string schema, CancellationToken ct)
    {
        var table = StatementLineTable.Of(schema);
        await using var connection = connect();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await StatedValuesCopyRebuild.ExecuteAsync(connection,
            $"set local maintenance_work_mem = '256MB'; set local max_parallel_maintenance_workers = 0; " +
            DropKeysSql(schema, table) +
            $"alter table {schema}.{StatementLineTable.Name} add constraint {table.PrimaryKeyName} primary key ({string.Join(", ", table.PrimaryKeyColumns)}); " +
            StatedValuesCopyRebuild.CreateIndexesSql(table) + $"analyze {schema}.{StatementLineTable.Name}", ct);
        await transaction.CommitAsync(ct);
    }
}
