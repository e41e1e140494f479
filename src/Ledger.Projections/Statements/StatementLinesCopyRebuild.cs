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
    private const int PageRows = 50_000;

    public static async Task RunAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
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
            await using (var fetch = new NpgsqlCommand($"fetch forward {PageRows} from statement_line_rows", connection) { CommandTimeout = 0 })
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
            // they are more than a page's worth (memory stays bounded; such an entity's statements are then in two runs).
            if (read == 0) AddLines(pendingFigure, pending);
            var ready = read == 0 ? lines.Count : LastEntityFrom(lines);
            if (lines.Count - ready > PageRows) ready = lines.Count;
            var done = lines.GetRange(0, ready);
            StatementLineRows.SortAsStored(done);
            await CopyAsync(connection, schema, done, ct);
            lines.RemoveRange(0, ready);
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

    /// <summary>Where the last entity's lines begin (they are worked out in figure order, whose keys begin with the entity, so an entity's are together).</summary>
    private static int LastEntityFrom(List<(string Entity, KnownStatementLine Known)> lines)
    {
        var i = lines.Count;
        while (i > 0 && lines[i - 1].Entity == lines[^1].Entity) i--;
        return i;
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
