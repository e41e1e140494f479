using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Projections.Documents;
using Ledger.Projections.Figures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Documents;

/// <summary>A document's tables, read from what it states: the auditor's view of the report beside the PDF.</summary>
public static class PrintedTableEndpoints
{
    /// <summary>The document's tables in printed order (404 for a document the ledger does not hold).</summary>
    public static async Task<(IReadOnlyList<PrintedTable>? Tables, IResult Problem)> LoadAsync(string entity, string document, IQuerySession session, CancellationToken ct)
    {
        var (summary, problem) = await DocumentEndpoint.LoadAsync(entity, document, session, ct);
        if (summary is null) return (null, problem);
        return (PrintedTables.Of(await FigureReads.PrintedInAsync(session, entity, summary.DocumentId, ct)), WolverineContinue.Result());
    }

    [WolverineGet("/api/entities/{entity}/documents/{document}/tables")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static IReadOnlyList<PrintedTableSummary> Get(IReadOnlyList<PrintedTable> tables) => tables.Select(PrintedTableSummary.Of).ToList();
}

/// <summary>One table of a document as printed, by the line of its first value (<c>…/documents/AR2023/tables/3740</c>).</summary>
public static class PrintedTableEndpoint
{
    public static async Task<(PrintedTable? Table, IResult Problem)> LoadAsync(string entity, string document, string table, IQuerySession session, CancellationToken ct)
    {
        var (tables, problem) = await PrintedTableEndpoints.LoadAsync(entity, document, session, ct);
        if (tables is null) return (null, problem);
        return tables.FirstOrDefault(t => t.Id == table) is { } found
            ? (found, WolverineContinue.Result())
            : (null, Problems.NotFound($"Document '{entity}/{document}' prints no table '{table}' (a table's id is the line of its first value); its tables are listed at /api/entities/{entity}/documents/{document}/tables."));
    }

    [WolverineGet("/api/entities/{entity}/documents/{document}/tables/{table}")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<PrintedTableResponse> Get(string entity, string document, PrintedTable table, IQuerySession session, CancellationToken ct)
    {
        // Each figure's value now, to mark the cells a later statement (or this document's own restatement) replaced; a
        // value printed in 万元 that the yuan figure rounds to is the same value, not a restatement.
        var figures = table.Rows.SelectMany(r => r.Cells).Select(c => c.Figure).Distinct(StringComparer.Ordinal).ToList();
        var current = (await FigureReads.LoadManyAsync(session, figures, ct))
            .Select(CurrentView.Of).OfType<FigureState>()
            .ToDictionary(s => s.Figure.Id, s => s.Value, StringComparer.Ordinal);
        var documentId = $"{entity}/{document}";
        return new PrintedTableResponse(documentId, table.Id, table.Title, table.Section, table.Columns, table.Rows
            .Select(r => new PrintedRowView(r.Label, r.Line, r.Cells.Select(c => new PrintedCellView(
                c.Column, c.Figure, c.Value.Printed, ValueView.Of(c.Value.Value)!, c.Kind,
                c.DocumentId == documentId ? null : c.DocumentId,
                current.TryGetValue(c.Figure, out var now) && !now.AgreesWith(c.Value.Value) ? ValueView.Of(now) : null)).ToList()))
            .ToList());
    }
}
