using System.Collections.Immutable;

namespace Ledger.Domain.Values;

public static class Scopes
{
    public const string Consolidated = "consolidated";
    /// <summary>The parent company's own statements (母公司).</summary>
    public const string Parent = "parent";

    public static bool IsKnown(string scope) => scope is Consolidated or Parent;
}

/// <summary>
/// The unit of history: entity + concept + period + scope + dimensions. Its text form
/// (<c>688083.SH|Revenue|FY2023|consolidated</c>, dimensions appended as <c>|k=v;k=v</c>) is the event-stream key.
/// </summary>
public sealed record FigureKey
{
    public FigureKey(string entity, string concept, string period, string scope = Scopes.Consolidated,
        IReadOnlyDictionary<string, string>? dimensions = null)
    {
        Entity = entity;
        Concept = concept;
        Period = period;
        Scope = scope;
        Dimensions = (dimensions ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    public string Entity { get; }
    public string Concept { get; }
    public string Period { get; }
    public string Scope { get; }
    public ImmutableSortedDictionary<string, string> Dimensions { get; }

    /// <summary>Dimensions as <c>k=v;k=v</c> in key order, or empty.</summary>
    public string DimensionsText => FormatDimensions(Dimensions);

    public static string FormatDimensions(IReadOnlyDictionary<string, string>? dims) =>
        dims is null || dims.Count == 0
            ? ""
            : string.Join(";", dims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));

    public static IReadOnlyDictionary<string, string> ParseDimensions(string? text)
    {
        var dims = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text)) return dims;
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) throw new FormatException($"'{pair}' is not a dimension member (expected name=member).");
            dims[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return dims;
    }

    public override string ToString()
    {
        var head = $"{Entity}|{Concept}|{Period}|{Scope}";
        return Dimensions.Count == 0 ? head : $"{head}|{DimensionsText}";
    }

    public static FigureKey Parse(string text)
    {
        var parts = text.Split('|');
        if (parts.Length is < 4 or > 5) throw new FormatException($"'{text}' is not a figure key.");
        return new FigureKey(parts[0], parts[1], parts[2], parts[3], parts.Length == 5 ? ParseDimensions(parts[4]) : null);
    }

    public bool Equals(FigureKey? other) => other is not null && ToString() == other.ToString();
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
