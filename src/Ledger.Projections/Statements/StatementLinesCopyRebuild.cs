using Ledger.Domain.History;
using Ledger.Projections.Figures;
using Npgsql;

namespace Ledger.Projections.Statements;

/// <summary>
/// The statements' lines worked out again from every stated-value row, in the rebuild's transaction, after those rows
/// (<see cref="StatedValuesCopyRebuild"/>): each figure's rows in order, its lines (<see cref="KnownStatementLines"/>), the
/// same as a write works out for the figures it changes, streamed in with binary COPY.
/// </summary>
internal static class StatementLinesCopyRebuild
{
    /// <summary>Rows fetched at a time: the rows the rebuild wrote are seen only in its transaction, so they are read through a cursor on its connection, a page between two COPYs.</summary>
    public const int PageRows = 50_000;

    /// <param name="pageRows">Rows fetched at a time: <see cref="PageRows"/>, fewer in tests of the pages' boundaries.</param>
    public static async Task RunAsync(NpgsqlConnection connection, string schema, CancellationToken ct, int pageRows = PageRows)
    {
        await StatedValuesCopyRebuild.ExecuteAsync(connection,
            "set local work_mem = '256MB'; " +
            $"declare statement_line_rows no scroll cursor for select {FigureReads.StatementColumns}, {FigureReads.StatementPosition} " +
            $"from {schema}.{StatedValueTables.StatedValues} order by figure, {FigureReads.StatementPosition}", ct);
        var keyParts = new KeyParts();
        string? pendingFigure = null;
        var pending = new List<StatedValue>();
        var lines = new List<(string Entity, KnownStatementLine Known)>();
        while (true)
        {
            var parts = new FigureReads.SharedRowParts();
            var read = 0;
            await using (var fetch = new NpgsqlCommand($"fetch forward {pageRows} from statement_line_rows", connection) { CommandTimeout = 0 })
            await using (var reader = await fetch.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    read++;
                    var figure = reader.GetString(0);
                    if (figure != pendingFigure)
                    {
                        AddLines(pendingFigure, pending);
                        (pendingFigure, pending) = (figure, []);
                    }
                    pending.Add(FigureReads.StatementValueOf(reader, parts));
                }
            // The last figure of a page may go on in the next one, and so may the last entity: its lines wait for the
            // next page, so that each statement's lines are copied in together (StatementLineRows.SortAsStored), unless
            // they are more than a page's worth (memory stays bounded; such an entity's statements are then in more
            // than one run of rows).
            if (read == 0) AddLines(pendingFigure, pending);
            var (done, held) = read == 0 ? (lines, new List<(string Entity, KnownStatementLine Known)>()) : OfLastEntityHeld(lines);
            if (held.Count > pageRows) (done, held) = (lines, new List<(string Entity, KnownStatementLine Known)>());
            StatementLineRows.SortAsStored(done);
            await CopyAsync(connection, schema, done, ct);
            lines = held;
            if (read == 0) break;
        }
        await StatedValuesCopyRebuild.ExecuteAsync(connection, "close statement_line_rows", ct);

        void AddLines(string? figure, List<StatedValue> statements)
        {
            if (figure is null) return;
            var history = FigureHistory.Of(figure, statements, [], keyParts);
            foreach (var known in KnownStatementLines.Of(history)) lines.Add((history.Entity, known));
        }
    }

    /// <summary>
    /// The lines apart from the last entity's, and the last entity's. By the entity's value, not its place: the cursor
    /// reads figures in the database's collation, which need not keep one entity's keys together (a linguistic one may
    /// not, where an entity's name is a prefix of another's).
    /// </summary>
    private static (List<(string Entity, KnownStatementLine Known)> Done, List<(string Entity, KnownStatementLine Known)> Held) OfLastEntityHeld(
        List<(string Entity, KnownStatementLine Known)> lines)
    {
        if (lines.Count == 0) return (lines, []);
        var last = lines[^1].Entity;
        var (done, held) = (new List<(string, KnownStatementLine)>(lines.Count), new List<(string, KnownStatementLine)>());
        foreach (var line in lines) (line.Entity == last ? held : done).Add(line);
        return (done, held);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string schema, List<(string Entity, KnownStatementLine Known)> lines, CancellationToken ct)
    {
        if (lines.Count == 0) return;
        // Not FREEZE, as the stated values' COPY is: PostgreSQL refuses it while the cursor over those is open.
        await using var copy = await connection.BeginBinaryImportAsync(
            $"copy {schema}.{StatementLineTable.Name} ({StatementLineTable.Columns}) from stdin (format binary)", ct);
        foreach (var (entity, known) in lines) await StatementLineRows.CopyAsync(copy, entity, known, ct);
        await copy.CompleteAsync(ct);
    }
}
