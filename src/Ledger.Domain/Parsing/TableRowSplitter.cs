using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Parsing;

/// <summary>One table row as a seed text prints it: its label, the note it cites (七、59), and its cells as printed.</summary>
public sealed record TableRow(string Label, string? Note, IReadOnlyList<string> Cells)
{
    public override string ToString() => $"{Label}{(Note is null ? "" : $" [{Note}]")} | {string.Join(" | ", Cells)}";
}

/// <summary>What the splitter needs to know that the line does not say.</summary>
/// <param name="Columns">How many cells the row prints.</param>
/// <param name="Note">The note reference the row carries, when the text runs it into the first number (七、5938,688,276.15).</param>
/// <param name="FractionDigits">The document's fixed number of decimals: what ends one run-together number.</param>
/// <param name="StrayDashes">Dashes the text carries that are neither a nil cell nor a sign (an extraction artefact).</param>
/// <param name="Accept">A check of the row's own arithmetic (a cross-foot), to choose between readings the dashes leave open.</param>
/// <param name="ColumnFractionDigits">Where columns print different numbers of decimals (an amount, then an exchange rate to four
/// places, 14,533,595.447.0827102,937,096.41), the decimals of each column, in order: each cell is read with its own column's.</param>
public sealed record TableRowOptions(
    int Columns,
    string? Note = null,
    int FractionDigits = 2,
    int StrayDashes = 0,
    Func<IReadOnlyList<string>, bool>? Accept = null,
    IReadOnlyList<int>? ColumnFractionDigits = null);

/// <summary>
/// Splits a line of extracted table text into label, note and cells. The extraction runs cells together
/// (<c>9,355,673.663,478,315.6612,833,989.32</c>, <c>-77,740,166.42-67,711,608.80</c>, <c>86,674,923.00---2,353,…</c>):
/// the document's number format (thousands separators, a fixed number of decimals) says where a number ends.
/// A dash before a number is either a nil cell or the number's minus sign; the column count, and where that is
/// not enough the row's arithmetic, decides. Anything left open is an error that lists the readings, never a guess.
/// </summary>
public static partial class TableRowSplitter
{
    private enum Kind { Dash, Number, NotApplicable }

    // A cell the document marks not applicable; kept as printed.
    private static readonly string[] NotApplicable = ["不适用", "不適用"];

    private readonly record struct Token(Kind Kind, string Text);

    public static TableRow Split(string line, TableRowOptions options)
    {
        var readings = Readings(line, options);
        return readings.Count switch
        {
            1 => readings[0],
            0 => throw new FormatException($"no reading of the row gives {options.Columns} cells{Describe(line, options)}"),
            _ => throw new FormatException(
                $"{readings.Count} readings of the row give {options.Columns} cells{(options.Accept is null ? "" : " and pass its check")}: "
                + string.Join("; ", readings.Take(4).Select(r => $"({r})")) + (readings.Count > 4 ? "; …" : "")
                + (readings.Select(r => r.Note).Distinct().Count() > 1 ? " — state the row's note" : " — declare a check of the row's arithmetic, or its columns")),
        };
    }

    /// <summary>True when the line ends in cells (numbers or nil dashes): a table row rather than a heading or prose.</summary>
    public static bool HasCells(string line) => CellTail(Normalise(line)).Length > 0;

    /// <summary>The row's label: the text before its cells and any note reference; null when the line has no cells.</summary>
    public static string? LabelOf(string line)
    {
        var text = Normalise(line);
        var tail = CellTail(text);
        if (tail.Length == 0) return null;
        var head = text[..^tail.Length].TrimEnd();
        var note = ClosedNote().Match(head) is { Success: true } closed ? closed : OpenNote().Match(head);
        return (note.Success ? head[..note.Index] : head).TrimEnd();
    }

    /// <summary>Every distinct reading with the requested number of cells that passes the row's check.</summary>
    public static IReadOnlyList<TableRow> Readings(string line, TableRowOptions options)
    {
        if (options.Columns < 1) throw new ArgumentOutOfRangeException(nameof(options), "a row has at least one column");
        if (options.FractionDigits < 1) throw new ArgumentOutOfRangeException(nameof(options), "run-together numbers can only be split with a fixed number of decimals");
        var text = Normalise(line);
        var tail = CellTail(text);
        if (tail.Length == 0) throw new FormatException("the line ends in no number or dash: not a table row");
        var head = text[..^tail.Length].TrimEnd();
        var cells = tail.Replace(" ", "", StringComparison.Ordinal);

        // A note reference either closes before the numbers (七、78(1)113,…) or runs its digits into them (七、5938,…).
        var candidates = new List<(string Label, string? Note, string Cells)>();
        var closed = ClosedNote().Match(head);
        var open = OpenNote().Match(head);
        if (closed.Success)
            candidates.Add((head[..closed.Index].TrimEnd(), closed.Value, cells));
        else if (open.Success)
        {
            var digits = cells.TakeWhile(char.IsAsciiDigit).Count();
            for (var k = 1; k <= digits; k++)
                candidates.Add((head[..open.Index].TrimEnd(), open.Value + cells[..k], cells[k..]));
            if (candidates.Count == 0) throw new FormatException($"'{open.Value}' is not followed by a note number");
        }
        else
            candidates.Add((head, null, cells));

        if (options.Note is { } note)
        {
            var wanted = Normalise(note).Replace(" ", "", StringComparison.Ordinal);
            var matching = candidates.Where(c => c.Note == wanted).ToList();
            if (matching.Count == 0)
                throw new FormatException($"the row cites no note '{note}' (it reads {(candidates.All(c => c.Note is null) ? "no note" : string.Join(" or ", candidates.Select(c => $"'{c.Note}'").Distinct()))})");
            candidates = matching;
        }

        if (options.ColumnFractionDigits is { } perColumn)
        {
            if (perColumn.Count != options.Columns) throw new ArgumentException($"{perColumn.Count} columns' decimals for {options.Columns} columns", nameof(options));
            if (perColumn.Any(d => d < 0)) throw new ArgumentOutOfRangeException(nameof(options), "a column's decimals are 0 (whole numbers) or more");
            if (options.StrayDashes > 0) throw new ArgumentException("stray dashes and per-column decimals are not read together", nameof(options));
        }
        var readings = new List<TableRow>();
        var errors = new List<string>();
        foreach (var (label, noteText, run) in candidates)
        {
            IEnumerable<IReadOnlyList<string>> assigned;
            if (options.ColumnFractionDigits is { } digitsOf)
                assigned = ByColumn(run, digitsOf);
            else if (!TryTokenise(run, options.FractionDigits, out var tokens, out var error)) { errors.Add(error); continue; }
            else assigned = Assign(tokens, options.Columns, options.StrayDashes);
            foreach (var cellsRead in assigned)
            {
                if (options.Accept is { } accept && !accept(cellsRead)) continue;
                if (readings.Any(r => r.Note == noteText && r.Cells.SequenceEqual(cellsRead))) continue;
                readings.Add(new TableRow(label, noteText, cellsRead));
            }
        }
        if (readings.Count == 0 && errors.Count == candidates.Count) throw new FormatException(errors[0]);
        return readings;
    }

    /// <summary>The value of a cell the splitter produced: null for a nil dash or 不适用.</summary>
    public static decimal? Value(string cell) =>
        cell == "-" || NotApplicable.Contains(cell) ? null : decimal.Parse(cell.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    // Each dash before a number is a sign or a nil cell (or, when the caller says the text has stray dashes, nothing);
    // a dash before another dash or at the end is a nil cell (or nothing).
    private static IEnumerable<IReadOnlyList<string>> Assign(IReadOnlyList<Token> tokens, int columns, int strayDashes)
    {
        var numbers = tokens.Count(t => t.Kind != Kind.Dash);
        var results = new List<IReadOnlyList<string>>();
        var cells = new List<string>();

        void Walk(int i, int strays)
        {
            if (cells.Count > columns) return;
            if (i == tokens.Count)
            {
                if (cells.Count == columns && strays == strayDashes) results.Add(cells.ToArray());
                return;
            }
            var t = tokens[i];
            if (t.Kind is Kind.Number or Kind.NotApplicable)
            {
                cells.Add(t.Text);
                Walk(i + 1, strays);
                cells.RemoveAt(cells.Count - 1);
                return;
            }
            cells.Add("-");
            Walk(i + 1, strays);
            cells.RemoveAt(cells.Count - 1);
            if (i + 1 < tokens.Count && tokens[i + 1].Kind == Kind.Number)
            {
                cells.Add("-" + tokens[i + 1].Text);
                Walk(i + 2, strays);
                cells.RemoveAt(cells.Count - 1);
            }
            if (strays < strayDashes) Walk(i + 1, strays + 1);
        }

        if (numbers <= columns) Walk(0, 0);
        return results;
    }

    // Each cell read with its own column's decimals: a dash is a nil cell or the next number's sign, a number has 1-3 digits,
    // thousands groups and exactly the column's decimals; every reading that uses the whole run in exactly the columns given.
    private static List<IReadOnlyList<string>> ByColumn(string run, IReadOnlyList<int> digitsOf)
    {
        var results = new List<IReadOnlyList<string>>();
        var cells = new List<string>();
        void Walk(int i)
        {
            if (cells.Count == digitsOf.Count)
            {
                if (i == run.Length) results.Add(cells.ToArray());
                return;
            }
            if (i >= run.Length) return;
            var digits = digitsOf[cells.Count];
            if (run[i] == '-')
            {
                cells.Add("-");
                Walk(i + 1);
                cells.RemoveAt(cells.Count - 1);
                foreach (var signed in NumberEnds(run, i + 1, digits))
                {
                    cells.Add(run[i..signed]);
                    Walk(signed);
                    cells.RemoveAt(cells.Count - 1);
                }
                return;
            }
            if (NotApplicable.FirstOrDefault(n => string.CompareOrdinal(run, i, n, 0, n.Length) == 0) is { } na)
            {
                cells.Add(na);
                Walk(i + na.Length);
                cells.RemoveAt(cells.Count - 1);
                return;
            }
            foreach (var end in NumberEnds(run, i, digits))
            {
                cells.Add(run[i..end]);
                Walk(end);
                cells.RemoveAt(cells.Count - 1);
            }
        }
        Walk(0);
        return results;
    }

    // Where a number that begins at i may end. With decimals, the point and the decimals fix it (at most one end). A whole
    // number (0 decimals) ends after its last thousands group, but its leading digits may run into the next number's
    // (0 then 0 prints 00): every split of the leading 1-3 digits is a candidate, and the column count and the row's checks
    // choose; a leading zero is a number only alone.
    private static IEnumerable<int> NumberEnds(string run, int i, int fractionDigits)
    {
        if (fractionDigits > 0)
        {
            if (NumberEnd(run, i, fractionDigits) is { } end) yield return end;
            yield break;
        }
        for (var lead = 1; lead <= 3 && i + lead <= run.Length && char.IsAsciiDigit(run[i + lead - 1]); lead++)
        {
            if (lead > 1 && run[i] == '0') yield break;
            var j = i + lead;
            while (j + 3 < run.Length && run[j] == ',' && char.IsAsciiDigit(run[j + 1]) && char.IsAsciiDigit(run[j + 2]) && char.IsAsciiDigit(run[j + 3])) j += 4;
            if (j < run.Length && run[j] is ',' or '.') continue;
            yield return j;
        }
    }

    // Where a number that begins at i ends: 1-3 digits, thousands groups, a point and exactly the given decimals; null if none does.
    private static int? NumberEnd(string run, int i, int fractionDigits)
    {
        var start = i;
        while (i < run.Length && char.IsAsciiDigit(run[i])) i++;
        if (i - start is < 1 or > 3) return null;
        while (i < run.Length && run[i] == ',')
        {
            if (i + 3 >= run.Length || !run.Skip(i + 1).Take(3).All(char.IsAsciiDigit)) return null;
            i += 4;
        }
        if (i >= run.Length || run[i] != '.') return null;
        i++;
        for (var d = 0; d < fractionDigits; d++, i++)
            if (i >= run.Length || !char.IsAsciiDigit(run[i])) return null;
        return i;
    }

    private static bool TryTokenise(string run, int fractionDigits, out List<Token> tokens, out string error)
    {
        tokens = [];
        error = "";
        var i = 0;
        while (i < run.Length)
        {
            if (run[i] == '-') { tokens.Add(new(Kind.Dash, "-")); i++; continue; }
            if (NotApplicable.FirstOrDefault(n => string.CompareOrdinal(run, i, n, 0, n.Length) == 0) is { } na)
            {
                tokens.Add(new(Kind.NotApplicable, na));
                i += na.Length;
                continue;
            }
            var start = i;
            var group = 0;
            while (i < run.Length && char.IsAsciiDigit(run[i])) { i++; group++; }
            if (group is < 1 or > 3)
            {
                error = group == 0
                    ? $"'{run[i]}' where a number or dash should begin, at '{Excerpt(run, start)}'"
                    : $"{group} digits before the first separator at '{Excerpt(run, start)}' (the document groups thousands)";
                return false;
            }
            while (i < run.Length && run[i] == ',')
            {
                var digits = 0;
                i++;
                while (i + digits < run.Length && char.IsAsciiDigit(run[i + digits]) && digits < 3) digits++;
                if (digits != 3) { error = $"a thousands group of {digits} digits at '{Excerpt(run, start)}'"; return false; }
                i += 3;
            }
            if (i >= run.Length || run[i] != '.') { error = $"no decimal point after '{run[start..i]}' (the document prints {fractionDigits} decimals)"; return false; }
            i++;
            for (var d = 0; d < fractionDigits; d++, i++)
            {
                if (i >= run.Length || !char.IsAsciiDigit(run[i])) { error = $"fewer than {fractionDigits} decimals at '{Excerpt(run, start)}'"; return false; }
            }
            tokens.Add(new(Kind.Number, run[start..i]));
        }
        return true;
    }

    private static string Excerpt(string run, int at) => run.Length - at > 24 ? run.Substring(at, 24) + "…" : run[at..];

    private static string Describe(string line, TableRowOptions options)
    {
        var text = Normalise(line);
        var cells = CellTail(text).Replace(" ", "", StringComparison.Ordinal);
        return $" (it prints '{cells}'{(options.StrayDashes > 0 ? $", {options.StrayDashes} stray dash(es) allowed" : "")})";
    }

    // The cells are the line's tail of digits, separators, dashes, spaces and 不适用; a note reference, if any, sits just before.
    private static string CellTail(string text)
    {
        var trimmed = text.TrimEnd();
        var i = trimmed.Length;
        while (i > 0)
        {
            if (char.IsAsciiDigit(trimmed[i - 1]) || trimmed[i - 1] is ',' or '.' or '-' or ' ') { i--; continue; }
            var na = NotApplicable.FirstOrDefault(n => i >= n.Length && string.CompareOrdinal(trimmed, i - n.Length, n, 0, n.Length) == 0);
            if (na is null) break;
            i -= na.Length;
        }
        var tail = trimmed[i..].TrimStart(' ');
        // A tail must hold a digit or a dash; a lone separator ('.' of 1.) belongs to the label.
        while (tail.Length > 0 && tail[0] is ',' or '.') tail = tail[1..];
        return tail.Any(c => char.IsAsciiDigit(c) || c == '-') || NotApplicable.Any(n => tail.Contains(n, StringComparison.Ordinal)) ? tail : "";
    }

    /// <summary>Full-width digits and punctuation to ASCII, every dash and minus to '-'.</summary>
    private static string Normalise(string line)
    {
        var sb = new StringBuilder(line.Length);
        foreach (var c in line.Normalize(NormalizationForm.FormC))
        {
            sb.Append(c switch
            {
                >= '０' and <= '９' => (char)('0' + (c - '０')),
                '，' => ',',
                '．' => '.',
                '（' => '(',
                '）' => ')',
                '－' or '–' or '—' or '−' or '‐' or '‒' or '―' => '-',
                '\t' or '\u3000' or '\u00a0' => ' ',
                _ => c,
            });
        }
        return sb.ToString().TrimEnd('\r', '\n');
    }

    // 七、78(1): the note closes with its parenthesised item, so the cells begin right after it.
    [GeneratedRegex(@"[一二三四五六七八九十]+、\d+\(\d+\)$")]
    private static partial Regex ClosedNote();

    // 七、: the note's number runs into the first cell.
    [GeneratedRegex(@"[一二三四五六七八九十]+、$")]
    private static partial Regex OpenNote();
}
