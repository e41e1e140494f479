using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Parsing;

/// <summary>How a document's tables print their cells.</summary>
public enum CellFormat
{
    /// <summary>Cells run together, split by a fixed number of decimals (ZWSOFT: <c>9,355,673.663,478,315.66</c>).</summary>
    RunTogether,

    /// <summary>
    /// Cells apart, separated by spaces (SenseTime, Kingsoft Cloud: <c>4,561,346 (146,898) – 8,726,312</c>): thousands
    /// separators, any number of decimals, parentheses for negatives, a dash alone for nil, <c>*</c> for an amount the
    /// document says rounds to nothing.
    /// </summary>
    Spaced,
}

public static partial class TableRowSplitter
{
    /// <summary>
    /// Splits a line whose cells are printed apart (<see cref="CellFormat.Spaced"/>). The cells are the line's trailing
    /// run of space-separated cell tokens; there must be exactly <see cref="TableRowOptions.Columns"/> of them, after
    /// the note reference the row cites (<see cref="TableRowOptions.Note"/>, printed as the first token, as in
    /// <c>每股基本及攤薄虧損（人民幣元） 8 (0.20) (0.19)</c>). A number printed without thousands separators is not a cell,
    /// so a year or a note the mapping does not state can never be taken for a value: the count then does not match and
    /// the row is refused. The row's check, when given, must hold. Nothing is guessed.
    /// </summary>
    public static TableRow SplitSpaced(string line, TableRowOptions options)
    {
        if (options.Columns < 1) throw new ArgumentOutOfRangeException(nameof(options), "a row has at least one column");
        var (label, cells) = SpacedParts(Normalise(line));
        if (cells.Count == 0) throw new FormatException("the line ends in no number or dash: not a table row");
        string? note = null;
        if (options.Note is { } wanted)
        {
            var w = Normalise(wanted).Trim();
            if (cells.Count == options.Columns + 1 && cells[0] == w) { note = w; cells = cells.Skip(1).ToList(); }
            else if (label.EndsWith(" " + w, StringComparison.Ordinal) || label == w) { note = w; label = label[..^w.Length].TrimEnd(); }
            else throw new FormatException($"the row cites no note '{wanted}' before its {options.Columns} cells (it prints '{string.Join(" ", cells)}')");
        }
        if (cells.Count != options.Columns)
            throw new FormatException($"the row prints {cells.Count} cells ('{string.Join(" ", cells)}'), the table has {options.Columns} columns"
                + (cells.Count == options.Columns + 1 ? " — state the row's note if the first is one" : ""));
        if (options.Accept is { } accept && !accept(cells))
            throw new FormatException($"the row's cells ('{string.Join(" ", cells)}') do not pass its check");
        return new TableRow(label, note, cells);
    }

    /// <summary>True when the line ends in cells printed apart (numbers, dashes, <c>*</c>).</summary>
    public static bool HasCells(string line, CellFormat format) =>
        format == CellFormat.RunTogether ? HasCells(line) : SpacedParts(Normalise(line)).Cells.Count > 0;

    /// <summary>The row's label (the text before its cells); null when the line has no cells.</summary>
    public static string? LabelOf(string line, CellFormat format)
    {
        if (format == CellFormat.RunTogether) return LabelOf(line);
        var (label, cells) = SpacedParts(Normalise(line));
        return cells.Count == 0 ? null : label;
    }

    /// <summary>True when every cell of a spaced row is a nil dash.</summary>
    public static bool AllNilSpaced(string line) => SpacedParts(Normalise(line)).Cells is { Count: > 0 } cells && cells.All(c => c == "-");

    /// <summary>
    /// The value of a cell printed apart: parentheses make it negative, a trailing % is kept out (the check compares like
    /// with like); null for a nil dash, 不适用, or <c>*</c> (an amount the document rounds to nothing).
    /// </summary>
    public static decimal? SpacedValue(string cell)
    {
        if (cell is "-" or "*" or "(*)" || NotApplicable.Contains(cell)) return null;
        var s = cell.TrimEnd('%');
        var negative = false;
        if (s.StartsWith('(') && s.EndsWith(')')) { negative = true; s = s[1..^1].TrimEnd('%'); }
        else if (s.StartsWith('-')) { negative = true; s = s[1..]; }
        var v = decimal.Parse(s.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return negative ? -v : v;
    }

    /// <summary>A cell printed as <c>*</c> or <c>(*)</c>: an amount the document says is too small to print.</summary>
    public static bool IsStarCell(string cell) => cell is "*" or "(*)";

    private static (string Label, List<string> Cells) SpacedParts(string text)
    {
        var trimmed = text.TrimEnd();
        var cells = new List<string>();
        var end = trimmed.Length;
        while (end > 0)
        {
            var start = end;
            while (start > 0 && trimmed[start - 1] != ' ') start--;
            var token = trimmed[start..end];
            if (!SpacedCell().IsMatch(token) && !NotApplicable.Contains(token)) break;
            cells.Insert(0, token);
            end = start;
            while (end > 0 && trimmed[end - 1] == ' ') end--;
        }
        return (trimmed[..end].Trim(), cells); // leading spaces are layout, not label
    }

    // One cell printed apart (or 不適用, not applicable): a dash, * or (*), or a number with thousands separators and any decimals, negative in
    // parentheses or after a minus sign, perhaps a percentage.
    [GeneratedRegex(@"^(-|\*|\(\*\)|-?\d{1,3}(,\d{3})*(\.\d+)?%?|\(\d{1,3}(,\d{3})*(\.\d+)?\)%?|\(\d{1,3}(,\d{3})*(\.\d+)?%\))$")]
    private static partial Regex SpacedCell();
}
