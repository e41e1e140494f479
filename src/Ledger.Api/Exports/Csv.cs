using System.Globalization;
using System.Text;
using Ledger.Domain.Concepts;

namespace Ledger.Api.Exports;

/// <summary>
/// One fact per line under a header row (RFC 4180 quoting), for spreadsheets: the same facts as the xBRL-JSON
/// export, with the figure's parts in columns and the printed label beside the concept.
/// </summary>
public static class Csv
{
    public static readonly string[] Header =
    [
        "entity", "concept", "element", "label", "period", "period_start", "period_end", "scope", "dimensions",
        "value", "unit", "decimals", "nil", "approximate", "lower_bound", "status", "document", "published_on",
    ];

    public static string Write(IEnumerable<ExportFact> facts, ConceptCatalog catalog, string language)
    {
        var text = new StringBuilder();
        Line(text, Header);
        foreach (var f in facts)
        {
            var period = Domain.Values.Period.Parse(f.Figure.Period);
            Line(text,
            [
                f.Figure.Entity, f.Figure.Concept, XbrlJson.ConceptName(f.Figure.Concept, catalog),
                catalog.TryGet(f.Figure.Concept, out var c) ? c.Label(language) : f.Figure.Concept,
                period.Id, Date(period.Start), Date(period.End), f.Figure.Scope, f.Figure.DimensionsText,
                f.Value.ValueText ?? "", f.Value.Unit, f.Value.Decimals?.ToString(CultureInfo.InvariantCulture) ?? (f.Value.IsNil ? "" : "INF"),
                f.Value.Nil switch { Domain.Values.NilKind.Nil => "nil", Domain.Values.NilKind.NotApplicable => "not-applicable", _ => "" },
                f.Value.Approximate ? "true" : "false", f.Value.LowerBound ? "true" : "false", f.Status, f.DocumentId ?? "", f.PublishedOn is { } p ? Date(p) : "",
            ]);
        }
        return text.ToString();
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(Quote));
        text.Append("\r\n");
    }

    private static string Quote(string cell)
    {
        // A spreadsheet would run a cell that starts like a formula; text from packages must stay text (numbers stay numbers).
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
    }
}
