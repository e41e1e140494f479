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

    [EndpointSummary("The document's tables in printed order, read from what it states: id (the line of a table's first value), title, section, lines, rows and values.")]
    [ResponseExample("""[{"id":"3746","title":"合并资产负债表 2023年12月31日 单位:元 币种:人民币","section":"第十节 财务报告 二、 财务报表","firstLine":3746,"lastLine":3850,"rows":48,"values":96}]""")]
    [ProblemAnswers(404)]
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

    [EndpointSummary("One table laid out as printed: its columns, each row with its line and the values printed in it (printed text, value, figure); a 调整前 cell names the earlier document it belongs to, and current gives the figure's value now where it is no longer the one printed.")]
    [ResponseExample("""{"document":"688083.SH/AR2023","id":"4190","title":"合并所有者权益变动表 2023年1—12月 单位:元 币种:人民币 (2023年度)","section":"第十节 财务报告 二、财务报表","columns":["实收资本(或股本)","盈余公积"],"rows":[{"label":"一、上年年末余额","line":4190,"cells":[{"column":"盈余公积","figure":"688083.SH|StatutorySurplusReserve|2022-12-31|consolidated","printed":"33,768,993.87","value":{"value":"33768993.87","unit":"CNY","decimals":"2","approximate":false},"kind":"cited","previouslyReportedIn":"688083.SH/AR2022","current":{"value":"33738465.28","unit":"CNY","decimals":"2","approximate":false}}]}]}""")]
    [ProblemAnswers(404)]
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
