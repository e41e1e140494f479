using Ledger.Api.Figures;
using Ledger.Projections.Documents;

namespace Ledger.Api.Documents;

/// <summary>A table of a document, listed: its id (the line of its first value), title and size.</summary>
public sealed record PrintedTableSummary(string Id, string Title, string? Section, int FirstLine, int LastLine, int Rows, int Values)
{
    public static PrintedTableSummary Of(PrintedTable t) => new(t.Id, t.Title, t.Section, t.FirstLine, t.LastLine, t.Rows.Count, t.Values);
}

/// <summary>A table as printed: its columns, and each row with the values printed in it.</summary>
public sealed record PrintedTableResponse(string Document, string Id, string Title, string? Section, IReadOnlyList<string> Columns, IReadOnlyList<PrintedRowView> Rows);

public sealed record PrintedRowView(string Label, int? Line, IReadOnlyList<PrintedCellView> Cells);

/// <summary>
/// One printed value: as printed and as read; <c>previouslyReportedIn</c> names the earlier document a 调整前 value belongs
/// to; <c>current</c> is the figure's value now where the printed one no longer stands, within its rounding (a later
/// restatement, or this document's own restatement beside a 调整前 cell).
/// </summary>
public sealed record PrintedCellView(string Column, string Figure, string? Printed, ValueView Value, string Kind, string? PreviouslyReportedIn, ValueView? Current);
