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
        _dimensions = (dimensions ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal);
        DimensionsText = FormatDimensions(_dimensions);
    }

    /// <summary>A key whose dimensions are given in their canonical text (<see cref="IsCanonicalDimensions"/>): parsed only if asked for.</summary>
    private FigureKey(string entity, string concept, string period, string scope, string canonicalDimensions)
    {
        Entity = entity;
        Concept = concept;
        Period = period;
        Scope = scope;
        DimensionsText = canonicalDimensions;
    }

    public string Entity { get; }
    public string Concept { get; }
    public string Period { get; }
    public string Scope { get; }

    // Reads fold thousands of keys a request (a statement: one per line), and a rebuild one per row; most never look at
    // the dimensions as a dictionary, so a key parsed from its text builds it only when asked.
    private ImmutableSortedDictionary<string, string>? _dimensions;

    public ImmutableSortedDictionary<string, string> Dimensions =>
        _dimensions ??= ParseDimensions(DimensionsText).ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>Dimensions as <c>k=v;k=v</c> in key order, or empty.</summary>
    public string DimensionsText { get; }

    public static string FormatDimensions(IReadOnlyDictionary<string, string>? dims) =>
        dims is null || dims.Count == 0
            ? ""
            : string.Join(";", dims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));

    /// <summary>
    /// The one dimension name a figure may not have: the xBRL export writes a figure's dimensions as <c>ledger:{name}</c>
    /// axes beside its own <c>ledger:ReportedIn</c> (the document a value was reported in), which would overwrite it.
    /// </summary>
    public const string ReservedDimension = "ReportedIn";

    public const string DimensionPartRule =
        "dimension names and members must be 1 to 200 characters, without spaces at either end or control characters, and free of '|', ';' and '='";

    /// <summary>
    /// A dimension's name or member as a key holds it: '|', ';' and '=' separate a key's parts, a key is read back trimmed
    /// (<see cref="ParseDimensions"/>), and a control character could not be asked for in a URL's <c>dims</c>.
    /// </summary>
    public static bool IsDimensionPart(string? s)
    {
        // Null where a package's JSON gives a member as null ("dims": {"segment": null}): no part of a key.
        if (s is null || s.Length is 0 or > 200 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])) return false;
        foreach (var c in s)
            if (char.IsControl(c) || c is '|' or ';' or '=') return false;
        return true;
    }

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

    /// <summary>
    /// Whether <paramref name="text"/> is already what <see cref="FormatDimensions"/> prints for what
    /// <see cref="ParseDimensions"/> reads of it: non-empty pairs <c>name=member</c>, neither part empty nor padded with
    /// white space, names in strictly increasing ordinal order. Every key the ledger writes is.
    /// </summary>
    public static bool IsCanonicalDimensions(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        ReadOnlySpan<char> previous = default;
        var first = true;
        while (true)
        {
            var end = text.IndexOf(';');
            var pair = end < 0 ? text : text[..end];
            var eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) return false;
            var name = pair[..eq];
            var member = pair[(eq + 1)..];
            if (Padded(name) || Padded(member)) return false;
            if (!first && previous.SequenceCompareTo(name) >= 0) return false;
            previous = name;
            first = false;
            if (end < 0) return true;
            text = text[(end + 1)..];
        }

        static bool Padded(ReadOnlySpan<char> s) => char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]);
    }

    public override string ToString()
    {
        var head = $"{Entity}|{Concept}|{Period}|{Scope}";
        return DimensionsText.Length == 0 ? head : $"{head}|{DimensionsText}";
    }

    public static FigureKey Parse(string text) => Parse(text, static part => part.ToString());

    /// <summary>
    /// A key from its text, its entity, concept, period and scope made strings by <paramref name="part"/>: a read that parses
    /// the hundred keys of a statement can give the same string for the parts they share (their dimensions mostly differ).
    /// </summary>
    public static FigureKey Parse(string text, Func<ReadOnlySpan<char>, string> part)
    {
        var span = text.AsSpan();
        Span<Range> parts = stackalloc Range[6];
        var count = span.Split(parts, '|');
        if (count is < 4 or > 5) throw new FormatException($"'{text}' is not a figure key.");
        var (entity, concept, period, scope) = (part(span[parts[0]]), part(span[parts[1]]), part(span[parts[2]]), part(span[parts[3]]));
        if (count == 4) return new FigureKey(entity, concept, period, scope, "");
        var dimensions = span[parts[4]];
        return IsCanonicalDimensions(dimensions)
            ? new FigureKey(entity, concept, period, scope, dimensions.ToString())
            : new FigureKey(entity, concept, period, scope, ParseDimensions(dimensions.ToString()));
    }

    public bool Equals(FigureKey? other) => other is not null && ToString() == other.ToString();
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
