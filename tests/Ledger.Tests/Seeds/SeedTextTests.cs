using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Seeds;

/// <summary>
/// The seed packages against the seed texts they were transcribed from (../shared/seeds beside the checkout, the
/// published documents' extracted text, as every developer and CI has it): every value a package cites by line is
/// printed on that line.
/// </summary>
public partial class SeedTextTests
{
    public static TheoryData<string> Packages() => new(Directory.GetFiles(Repository.File("data", "seeds"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Packages))]
    public void Every_value_is_printed_on_the_line_it_cites(string package)
    {
        var json = JsonDocument.Parse(File.ReadAllText(Repository.File("data", "seeds", package))).RootElement;
        var lines = SeedText.Lines(json.GetProperty("document").GetProperty("source").GetString()!);
        var misplaced = new List<string>();
        foreach (var (path, printed, line) in Cited(json))
        {
            var digits = Digits(printed);
            if (digits.Length == 0) continue; // a dash or 不适用: nothing to look for
            var text = line >= 1 && line <= lines.Count ? Normal(lines[line - 1]).Replace(" ", "") : "";
            if (!text.Contains(digits, StringComparison.Ordinal)) misplaced.Add($"{path} '{printed}' is not on line {line}");
        }
        misplaced.Should().BeEmpty();
    }

    private static IEnumerable<(string Path, string Printed, int Line)> Cited(JsonElement package)
    {
        (string, string, int)? One(JsonElement value, string path) =>
            value.ValueKind == JsonValueKind.Object && value.TryGetProperty("printed", out var p) && p.ValueKind == JsonValueKind.String
            && value.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.Object && l.TryGetProperty("line", out var n) && n.ValueKind == JsonValueKind.Number
                ? (path, p.GetString()!, n.GetInt32()) : null;

        if (package.TryGetProperty("facts", out var facts))
            foreach (var (f, i) in facts.EnumerateArray().Select((f, i) => (f, i)))
                if (One(f, $"$.facts[{i}]") is { } c) yield return c;
        if (package.TryGetProperty("restatements", out var restatements))
            foreach (var (r, i) in restatements.EnumerateArray().Select((r, i) => (r, i)))
                foreach (var part in new[] { "before", "adjustment", "after" })
                    if (r.TryGetProperty(part, out var v) && One(v, $"$.restatements[{i}].{part}") is { } c) yield return c;
    }

    /// <summary>The digits, separators and decimal point of a printed value, without currency, scale or sign.</summary>
    private static string Digits(string printed) => NumberChars().Replace(Normal(printed), "").Trim('.', ',');

    private static string Normal(string s) => s.Normalize(NormalizationForm.FormKC);

    [GeneratedRegex("[^0-9.,]")]
    private static partial Regex NumberChars();
}

/// <summary>The seed texts, by the file name a package's document.source gives.</summary>
public static class SeedText
{
    public static IReadOnlyList<string> Lines(string source) =>
        File.ReadAllText(Repository.File("..", "shared", "seeds", source)).Split('\n');

    /// <summary>Line <paramref name="n"/> (1-based) of a seed text.</summary>
    public static string Line(string source, int n) => Lines(source)[n - 1];
}
