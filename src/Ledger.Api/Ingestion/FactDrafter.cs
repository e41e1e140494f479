using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Parsing;

namespace Ledger.Api.Ingestion;

/// <summary>An error in the seed text or the mapping, with the file and line (or JSON path) it concerns.</summary>
public sealed class DraftException(string message) : Exception(message);

/// <summary>
/// Drafts package facts from a seed text and a reviewed mapping (data/seeds/mappings/*.json): for each mapped table,
/// every line in its range that ends in cells is split (<see cref="TableRowSplitter"/>) and each cell becomes a fact
/// with the row's concept, the column's period and dims, and the line it was read from. The mapping is complete by
/// construction: a row with cells that the mapping neither maps nor skips is an error, so nothing printed is lost
/// silently. The format is described in docs/disclosure-package.md ("Transcription mappings").
/// </summary>
public static partial class FactDrafter
{
    /// <summary>The package files' own layout (two-space indent, CJK unescaped), so that a merge changes only what it adds.</summary>
    public static readonly JsonSerializerOptions PackageLayout = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static List<JsonObject> Draft(IReadOnlyList<string> lines, string sourceFile, JsonObject mapping, string mappingFile, string? onlyTable = null)
    {
        var source = Path.GetFileName(sourceFile);
        if (mapping["source"]?.GetValue<string>() is { } named && named != source)
            throw new DraftException($"{mappingFile}: $.source: the mapping is for '{named}', not '{source}'");
        var columnSets = mapping["columnSets"] as JsonObject;
        var tables = mapping["tables"] as JsonArray ?? throw new DraftException($"{mappingFile}: $.tables: missing");
        var facts = new List<JsonObject>();
        var errors = new List<string>();

        for (var t = 0; t < tables.Count; t++)
        {
            var path = $"$.tables[{t}]";
            var table = tables[t] as JsonObject ?? throw new DraftException($"{mappingFile}: {path}: not an object");
            if (onlyTable is not null && Str(table, "id") != onlyTable) continue;
            var (from, to) = Range(table, mappingFile, path, lines.Count);
            var columns = Columns(table, columnSets, mappingFile, path);
            var rows = table["rows"] as JsonArray ?? throw new DraftException($"{mappingFile}: {path}.rows: missing");
            var fractionDigits = table["fractionDigits"]?.GetValue<int>() ?? 2;
            var recordNil = table["recordNil"]?.GetValue<bool>() ?? true;
            var skipNilRows = table["skipNilRows"]?.GetValue<bool>() ?? false;
            var format = CellFormatOf(table, mappingFile, path);
            Func<string, decimal?> value = format == CellFormat.Spaced ? TableRowSplitter.SpacedValue : TableRowSplitter.Value;
            var checks = Checks(table, columns, mappingFile, path, value);
            var trailing = Trailing(table, mappingFile, path);
            var pointsInWords = table["pointsInWords"]?.GetValue<bool>() ?? false;
            var used = new HashSet<int>();
            for (var r = 0; r < rows.Count; r++)
                if (rows[r] is JsonObject o && o["textInCells"] is not null && o["line"] is null)
                    throw new DraftException($"{mappingFile}: {path}.rows[{r}].textInCells: text among the cells is named for one line: pin the row with 'line'");

            for (var n = from; n <= to; n++)
            {
                // A text column printed after the cells (指定理由和依据 "/", 计提理由 "预计无法收回") is not a cell: the
                // mapping names each such text, and only a line ending in exactly one of them loses it.
                var text = StripTrailing(lines[n - 1], trailing);
                // A change in percentage points printed in words after the cells (减少4.82个百分点), where the mapping says
                // the table prints one: it is the last column's cell, 减少 making it negative.
                (string Cell, bool Negated)? words = null;
                if (pointsInWords && PointsInWords().Match(text) is { Success: true } w)
                {
                    words = (w.Groups[2].Value, w.Groups[1].Value == "减少");
                    text = text[..w.Index];
                }
                // Text printed between two cells (a 附注 reference, 七、68、73, between 2023年金额 and 2022年金额; a 受限类型 column):
                // the row, pinned by line, names each such text, and it is taken out so that the cells read as if that
                // column were not there.
                var inCellsMissing = false;
                foreach (var pinned in rows.OfType<JsonObject>().Where(r => r["line"]?.GetValue<int>() == n && r["textInCells"] is not null))
                    foreach (var inCells in TextsInCells(pinned))
                    {
                        var at = text.LastIndexOf(inCells, StringComparison.Ordinal);
                        if (at < 0) { errors.Add($"{source}:{n}: the row prints no '{inCells}' among its cells ({mappingFile} {path})"); inCellsMissing = true; }
                        else text = text.Remove(at, inCells.Length);
                    }
                if (inCellsMissing || !TableRowSplitter.HasCells(text, format)) continue;
                var where = $"{source}:{n}";
                try
                {
                    var (row, r) = FindRow(rows, text, n, mappingFile, path, format);
                    used.Add(r);
                    var rowPath = $"{path}.rows[{r}]";
                    if (row is null)
                    {
                        if (skipNilRows && (format == CellFormat.Spaced ? TableRowSplitter.AllNilSpaced(text) : AllNil(text, columns.Count, fractionDigits))) continue;
                        throw new DraftException($"{where}: the row '{Shorten(text)}' is not in the mapping {mappingFile} {path} (map it, or skip it with a reason)");
                    }
                    if (row["skip"] is not null) continue;

                    var printedColumns = row["printedColumns"] is JsonArray pc
                        ? pc.Select(k => columns.FirstOrDefault(c => c.Key == k!.GetValue<string>()) ?? throw new DraftException($"{mappingFile}: {rowPath}.printedColumns: no column '{k}'")).ToList()
                        : columns;
                    // The table's cross-foot, on the full row (a column the text leaves out counts as nil), and the
                    // columns the mapping records nothing in, which can only print a dash.
                    var full = columns.Select(c => printedColumns.IndexOf(c)).ToArray();
                    string[] Expand(IReadOnlyList<string> cells) => full.Select(i => i < 0 ? "-" : cells[i]).ToArray();
                    var rowChecks = checks.Select(check => (Func<IReadOnlyList<string>, bool>)(cells => check(Expand(cells)))).ToList();
                    rowChecks.Add(cells => printedColumns.Select((c, i) => c.Record || c.Unrecorded is not null || cells[i] == "-").All(b => b));
                    // "numbersIn": the columns that print a number (the others a dash), where the dashes and the
                    // cross-foot leave two readings open (an appropriation moves one amount between two columns).
                    if (row["numbersIn"] is JsonArray numbersIn)
                    {
                        var keys = numbersIn.Select(k => k!.GetValue<string>()).ToHashSet();
                        foreach (var k in keys)
                            if (printedColumns.All(c => c.Key != k)) throw new DraftException($"{mappingFile}: {rowPath}.numbersIn: no column '{k}'");
                        rowChecks = [.. rowChecks, cells => printedColumns.Select((c, i) => keys.Contains(c.Key) == (cells[i] != "-")).All(b => b)];
                    }
                    if (words is not null && rowChecks.Count > 0)
                    {
                        var inWords = words.Value.Negated ? "-" + words.Value.Cell : words.Value.Cell;
                        var whole = rowChecks;
                        rowChecks = [cells => whole.All(c => c([.. cells, inWords]))];
                    }
                    var splitColumns = printedColumns.Count - (words is null ? 0 : 1);
                    var options = new TableRowOptions(
                        splitColumns,
                        Note: Str(row, "note"),
                        FractionDigits: fractionDigits,
                        StrayDashes: row["strayDashes"]?.GetValue<int>() ?? 0,
                        Accept: rowChecks.Count == 0 ? null : cells => rowChecks.All(c => c(cells)),
                        ColumnFractionDigits: printedColumns.Any(c => c.FractionDigits is not null) || row["columnFractionDigits"] is JsonObject
                            ? printedColumns.Take(splitColumns).Select(c => ColumnDigits(row, c, printedColumns, rowPath, mappingFile) ?? c.FractionDigits ?? fractionDigits).ToList()
                            : null);
                    var split = format == CellFormat.Spaced ? TableRowSplitter.SplitSpaced(text, options) : TableRowSplitter.Split(text, options);
                    var skipCells = row["skipCells"] as JsonObject;
                    foreach (var (k, _) in skipCells ?? [])
                        if (printedColumns.All(c => c.Key != k)) throw new DraftException($"{mappingFile}: {rowPath}.skipCells: no column '{k}'");
                    if (Str(row, "label") is { } label && split.Label != label)
                        throw new DraftException($"{where}: the row reads '{split.Label}', the mapping {rowPath} says '{label}'");
                    if (words is not null) split = split with { Cells = [.. split.Cells, words.Value.Cell] };

                    for (var c = 0; c < printedColumns.Count; c++)
                    {
                        var column = printedColumns[c];
                        var cell = split.Cells[c];
                        if (skipCells?[column.Key] is not null) continue; // the mapping says why this cell is not recorded
                        if (TableRowSplitter.IsStarCell(cell))
                            throw new DraftException($"{where}: column '{column.Key}' prints '{cell}' (an amount too small to print), which is no value: the mapping {rowPath} must skip it (skipCells, with the reason)");
                        var nil = cell == "-";
                        if (!column.Record)
                        {
                            if (!nil && column.Unrecorded is null) throw new DraftException($"{where}: column '{column.Key}' prints '{cell}', but the mapping {path} records nothing there");
                            continue;
                        }
                        if (nil && !recordNil) continue;
                        var fact = Fact(table, row, column, split, cell, n, mappingFile, rowPath);
                        if (words is { Negated: true } && c == printedColumns.Count - 1)
                        {
                            if (fact["negated"] is not null) throw new DraftException($"{mappingFile}: {rowPath}: a negated row, and 减少 negates its last cell again");
                            fact["negated"] = true;
                        }
                        facts.Add(fact);
                    }
                }
                catch (FormatException e) { errors.Add($"{where}: {e.Message}"); }
                catch (DraftException e) { errors.Add(e.Message); }
            }
            for (var r = 0; r < rows.Count; r++)
                if (!used.Contains(r)) errors.Add($"{mappingFile}: {path}.rows[{r}] ('{Str(rows[r]!.AsObject(), "label")}') matches no line in {source}:{from}–{to}");
        }
        if (onlyTable is not null && !tables.Any(t => t is JsonObject o && Str(o, "id") == onlyTable))
            errors.Add($"{mappingFile}: no table with id '{onlyTable}'");
        if (errors.Count > 0) throw new DraftException(string.Join(Environment.NewLine, errors));
        return facts;
    }

    /// <summary>
    /// Appends the drafted facts to the package's facts, leaving every fact already there as it is: a draft of the
    /// same figure from the same line is skipped (reported as a conflict when its printed value differs).
    /// </summary>
    public static (int Added, int Present, List<string> Conflicts) Merge(JsonObject package, IEnumerable<JsonObject> drafted)
    {
        var facts = package["facts"] as JsonArray ?? throw new DraftException("the package has no facts array");
        var existing = new Dictionary<string, (int Index, string? Printed)>();
        for (var i = 0; i < facts.Count; i++)
            if (facts[i] is JsonObject f) existing.TryAdd(Key(f), (i, Str(f, "printed")));
        var added = 0;
        var present = 0;
        var conflicts = new List<string>();
        foreach (var fact in drafted)
        {
            var key = Key(fact);
            if (existing.TryGetValue(key, out var found))
            {
                present++;
                if (found.Printed != Str(fact, "printed"))
                    conflicts.Add($"$.facts[{found.Index}] prints '{found.Printed}', the draft '{Str(fact, "printed")}' ({key}); kept as it is");
                continue;
            }
            existing[key] = (facts.Count, Str(fact, "printed"));
            facts.Add(fact.DeepClone());
            added++;
        }
        return (added, present, conflicts);
    }

    // One figure from one line: what a draft must not add twice.
    private static string Key(JsonObject f) => string.Join("|",
        Str(f, "concept"), Str(f, "period"), f["opening"]?.GetValue<bool>() == true ? "opening" : "",
        Str(f, "scope") ?? "consolidated",
        f["dims"] is JsonObject d ? string.Join(",", d.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "",
        f["location"]?["line"]?.ToString(), Str(f, "previouslyReportedIn"));

    private sealed record Column(string Key, string? Label, string? Period, JsonObject? Dims, string? BalanceConcept, bool Record,
        string? Concept = null, string? Unit = null, string? Scale = null, int? FractionDigits = null,
        // Why a column's numbers, read so that the row splits, are not recorded (an amount in a currency the ledger has no unit for).
        string? Unrecorded = null);

    // A row whose cell prints other decimals than its column (an ownership of 64.6626% where the others print 100.00).
    private static int? ColumnDigits(JsonObject row, Column column, List<Column> printed, string rowPath, string mappingFile)
    {
        if (row["columnFractionDigits"] is not JsonObject byColumn) return null;
        foreach (var (k, _) in byColumn)
            if (printed.All(c => c.Key != k)) throw new DraftException($"{mappingFile}: {rowPath}.columnFractionDigits: no printed column '{k}'");
        return byColumn[column.Key]?.GetValue<int>();
    }

    private static IEnumerable<string> TextsInCells(JsonObject row) => row["textInCells"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var one) && one.Length > 0 => [one],
        JsonArray list => list.Select(t => t is JsonValue tv && tv.TryGetValue<string>(out var s) && s.Length > 0 ? s
            : throw new DraftException("textInCells: each item is a non-empty text")),
        _ => throw new DraftException("textInCells: a text, or a list of texts"),
    };

    private static List<string> Trailing(JsonObject table, string mappingFile, string path)
    {
        if (table["trailing"] is null) return [];
        if (table["trailing"] is not JsonArray list) throw new DraftException($"{mappingFile}: {path}.trailing: expected a list of texts");
        var texts = list.Select((t, i) => t is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 && !TableRowSplitter.HasCells("x" + s)
            ? s : throw new DraftException($"{mappingFile}: {path}.trailing[{i}]: a non-empty text that does not itself end in a cell")).ToList();
        // Longest first, so that "预计无法收回" is not cut as a shorter text it ends with.
        return [.. texts.OrderByDescending(t => t.Length)];
    }

    private static string StripTrailing(string line, List<string> trailing)
    {
        var text = line.TrimEnd('\r', ' ', '\t');
        foreach (var t in trailing)
            if (text.EndsWith(t, StringComparison.Ordinal)) return text[..^t.Length];
        return line;
    }

    private static JsonObject Fact(JsonObject table, JsonObject row, Column column, TableRow split, string cell, int line, string mappingFile, string rowPath)
    {
        var balance = row["balance"]?.GetValue<bool>() == true;
        if (!balance && Str(row, "concept") is not null && column.Concept is not null)
            throw new DraftException($"{mappingFile}: {rowPath}: the row names a concept and column '{column.Key}' names '{column.Concept}': which one is meant?");
        var concept = balance
            ? column.BalanceConcept ?? throw new DraftException($"{mappingFile}: {rowPath}: a balance row, but column '{column.Key}' names no balanceConcept")
            : Str(row, "concept") ?? column.Concept ?? throw new DraftException($"{mappingFile}: {rowPath}: no concept (in the row or column '{column.Key}')");
        var period = (row["periods"] as JsonObject)?[column.Key]?.GetValue<string>() ?? Str(row, "period") ?? column.Period ?? Str(table, "period")
            ?? throw new DraftException($"{mappingFile}: {rowPath}: no period for column '{column.Key}'");
        var dims = new JsonObject();
        foreach (var source in new[] { table["dims"] as JsonObject, balance ? null : column.Dims, row["dims"] as JsonObject })
            foreach (var (k, v) in source ?? [])
                dims[k] = v?.DeepClone();

        var fact = new JsonObject
        {
            ["concept"] = concept,
            ["period"] = period,
        };
        if (row["opening"]?.GetValue<bool>() == true) fact["opening"] = true;
        foreach (var (k, v) in new JsonObject
        {
            ["scope"] = Str(row, "scope") ?? Str(table, "scope") ?? "consolidated",
            ["dims"] = dims,
            ["printed"] = cell,
            ["scale"] = column.Scale ?? Str(row, "scale") ?? Str(table, "scale") ?? "units",
            ["unit"] = Str(row, "unit") ?? column.Unit ?? Str(table, "unit") ?? throw new DraftException($"{mappingFile}: {rowPath}: no unit"),
        })
            fact[k] = v?.DeepClone();
        if (row["negated"]?.GetValue<bool>() == true) fact["negated"] = true;
        var location = new JsonObject();
        foreach (var (k, v) in table["location"] as JsonObject ?? []) location[k] = v?.DeepClone();
        location["row"] = split.Label;
        location["column"] = column.Label ?? column.Key;
        location["line"] = line;
        fact["location"] = location;
        if (Str(row, "factNote") is { } note) fact["note"] = note;
        var cited = (row["previouslyReportedIn"] as JsonObject)?[column.Key]?.GetValue<string>()
                    ?? (row["previouslyReportedIn"] is JsonValue v2 ? v2.GetValue<string>() : null);
        if (cited is not null) fact["previouslyReportedIn"] = cited;
        return fact;
    }

    // A row is found by its line (when the mapping pins it) or its label; a label printed twice in the range must be pinned.
    private static (JsonObject? Row, int Index) FindRow(JsonArray rows, string text, int line, string mappingFile, string path, CellFormat format)
    {
        for (var r = 0; r < rows.Count; r++)
            if (rows[r] is JsonObject row && row["line"]?.GetValue<int>() == line) return (row, r);
        var label = TableRowSplitter.LabelOf(text, format);
        var matches = new List<int>();
        for (var r = 0; r < rows.Count; r++)
            if (rows[r] is JsonObject row && row["line"] is null && Str(row, "label") == label) matches.Add(r);
        return matches.Count switch
        {
            0 => (null, -1),
            1 => (rows[matches[0]]!.AsObject(), matches[0]),
            _ => throw new DraftException($"{mappingFile}: {path}.rows[{string.Join(", ", matches)}] all map '{label}'"),
        };
    }

    private static bool AllNil(string text, int columns, int fractionDigits)
    {
        try { return TableRowSplitter.Readings(text, new(columns, FractionDigits: fractionDigits)).Any(r => r.Cells.All(c => c == "-")); }
        // A row that does not split into the columns is not a row of dashes: it is reported as a row the mapping lacks.
        catch (FormatException) { return false; }
    }

    private static (int From, int To) Range(JsonObject table, string mappingFile, string path, int count)
    {
        if (table["lines"] is not JsonArray { Count: 2 } range)
            throw new DraftException($"{mappingFile}: {path}.lines: expected [first, last]");
        var (from, to) = (range[0]!.GetValue<int>(), range[1]!.GetValue<int>());
        if (from < 1 || to > count || from > to)
            throw new DraftException($"{mappingFile}: {path}.lines: [{from}, {to}] is not within the text's {count} lines");
        return (from, to);
    }

    private static List<Column> Columns(JsonObject table, JsonObject? sets, string mappingFile, string path)
    {
        var node = table["columns"];
        if (node is JsonValue name)
            node = sets?[name.GetValue<string>()] ?? throw new DraftException($"{mappingFile}: {path}.columns: no column set '{name}'");
        if (node is not JsonArray list || list.Count == 0) throw new DraftException($"{mappingFile}: {path}.columns: missing");
        return list.Select((c, i) => c is JsonObject o && Str(o, "key") is { } key
            ? new Column(key, Str(o, "label"), Str(o, "period"), o["dims"] as JsonObject, Str(o, "balanceConcept"), (o["record"]?.GetValue<bool>() ?? true) && o["unrecorded"] is null,
                Str(o, "concept"), Str(o, "unit"), Str(o, "scale"), o["fractionDigits"]?.GetValue<int>(), Str(o, "unrecorded"))
            : throw new DraftException($"{mappingFile}: {path}.columns[{i}]: needs a key")).ToList();
    }

    // A table's cross-foot ({ "total": key, "members": [key, "-key", …] }), used to choose between readings of a row.
    private static List<Func<IReadOnlyList<string>, bool>> Checks(JsonObject table, List<Column> columns, string mappingFile, string path, Func<string, decimal?> value)
    {
        var checks = new List<Func<IReadOnlyList<string>, bool>>();
        if (table["checks"] is not JsonArray list) return checks;
        int IndexOf(string key, string at) => columns.FindIndex(c => c.Key == key) is var i and >= 0 ? i
            : throw new DraftException($"{mappingFile}: {at}: no column '{key}'");
        for (var i = 0; i < list.Count; i++)
        {
            var at = $"{path}.checks[{i}]";
            var total = IndexOf(Str(list[i]!.AsObject(), "total") ?? "", at);
            var members = (list[i]!["members"] as JsonArray ?? []).Select(m => m!.GetValue<string>())
                .Select(m => m.StartsWith('-') ? (Index: IndexOf(m[1..], at), Weight: -1m) : (Index: IndexOf(m, at), Weight: 1m)).ToList();
            checks.Add(cells => (value(cells[total]) ?? 0m) == members.Sum(m => m.Weight * (value(cells[m.Index]) ?? 0m)));
        }
        return checks;
    }

    // "cellFormat": "run-together" (the default: ZWSOFT's cells, split by fixed decimals) or "spaced" (cells apart,
    // parentheses for negatives: SenseTime, Kingsoft Cloud).
    private static CellFormat CellFormatOf(JsonObject table, string mappingFile, string path) => Str(table, "cellFormat") switch
    {
        null or "run-together" => CellFormat.RunTogether,
        "spaced" => CellFormat.Spaced,
        var other => throw new DraftException($"{mappingFile}: {path}.cellFormat: '{other}' is not run-together or spaced"),
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"(增加|减少)(\d+(?:\.\d+)?)个百分点\s*$")]
    private static partial System.Text.RegularExpressions.Regex PointsInWords();

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
