using Ledger.Domain.Events;
using Ledger.Domain.Figures;

namespace Ledger.Projections.Documents;

/// <summary>One value in a printed table: the column it is printed under, the figure it states, and how the document states it.</summary>
public sealed record PrintedCell(string Column, string Figure, string Kind, Statement Value, string DocumentId);

/// <summary>A printed row: its label and line, its values in the order of the table's columns.</summary>
public sealed record PrintedRow(string Label, int? Line, IReadOnlyList<PrintedCell> Cells);

/// <summary>
/// A table as the document prints it. Its id is the line its first value is printed on (stable across loads: packages
/// cite lines), with <c>-2</c>, <c>-3</c> for further tables of other titles whose first value shares that line.
/// </summary>
public sealed record PrintedTable(string Id, string Title, string? Section, int FirstLine, int LastLine, IReadOnlyList<string> Columns, IReadOnlyList<PrintedRow> Rows)
{
    public int Values => Rows.Sum(r => r.Cells.Count);
}

/// <summary>
/// A document's tables laid out as printed: every value the document states (its own, and the earlier values it prints
/// as previously reported, 调整前), grouped by the table its location names, rows in line order, columns in the order
/// the document first prints them; a title printed again under another section, or after another table, is a table of
/// its own. What an auditor holds beside the PDF; values without a table (prose) are left out.
/// </summary>
public static class PrintedTables
{
    /// <param name="statements">The document's stated values (and those it cites), in the order the ledger learnt them.</param>
    public static IReadOnlyList<PrintedTable> Of(IEnumerable<(string Figure, StatedValue Value)> statements)
    {
        // A table is a run of values, in line order, under one section and title: a title printed again elsewhere
        // (其他说明, 单位:万元 币种:人民币) is another table.
        var tables = new List<List<(string Figure, StatedValue Value)>>();
        (string?, string)? current = null;
        foreach (var s in statements.Where(s => s.Value.Location.Table is { Length: > 0 })
                     .Select((s, order) => (s, order)).OrderBy(x => x.s.Value.Location.Line ?? int.MaxValue).ThenBy(x => x.order).Select(x => x.s))
        {
            // (sections compared without their spaces: 二、 财务报表 and 二、财务报表 are one heading, typed two ways)
            var key = (Squeezed(s.Value.Location.Section), s.Value.Location.Table!);
            if (current != key) { tables.Add([]); current = key; }
            tables[^1].Add(s);
        }
        var built = tables.Select(t => Build(t[0].Value.Location.Table!, t)).OrderBy(t => t.FirstLine).ThenBy(t => t.Title, StringComparer.Ordinal).ToList();
        return built.Select((t, i) => t with { Id = Suffix(built.Take(i).Count(o => o.FirstLine == t.FirstLine), t.FirstLine) }).ToList();
    }

    private static string? Squeezed(string? text) => text is null ? null : string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string Suffix(int earlier, int line) =>
        earlier == 0 ? line.ToString(System.Globalization.CultureInfo.InvariantCulture) : FormattableString.Invariant($"{line}-{earlier + 1}");

    private static PrintedTable Build(string title, List<(string Figure, StatedValue Value)> values)
    {
        var columns = values.Select(v => v.Value.Location.Column ?? "").Distinct(StringComparer.Ordinal).ToList();
        var order = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var rows = values
            .GroupBy(v => (Line: v.Value.Location.Line, Label: v.Value.Location.Row ?? ""))
            .OrderBy(g => g.Key.Line ?? int.MaxValue)
            .Select(g => new PrintedRow(g.Key.Label, g.Key.Line, g
                // One printed cell the package states twice (a fact, and the same value as a restatement's after or
                // before) is one cell: the restatement's statement of it.
                .GroupBy(v => (Column: v.Value.Location.Column ?? "", v.Figure, v.Value.Value.Printed))
                .Select(same => same.Any(v => v.Value.Kind == StatementKinds.Restatement) ? same.First(v => v.Value.Kind == StatementKinds.Restatement) : same.First())
                .OrderBy(v => order[v.Value.Location.Column ?? ""])
                .Select(v => new PrintedCell(v.Value.Location.Column ?? "", v.Figure, v.Value.Kind, v.Value.Value, v.Value.Document.Id))
                .ToList()))
            .ToList();
        var lines = values.Select(v => v.Value.Location.Line).OfType<int>().DefaultIfEmpty(0).ToList();
        return new PrintedTable("", title, values[0].Value.Location.Section, lines.Min(), lines.Max(), columns, rows);
    }
}
