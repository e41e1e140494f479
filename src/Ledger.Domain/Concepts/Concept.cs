using Ledger.Domain.Values;

namespace Ledger.Domain.Concepts;

public enum DataType { Monetary, PerShare, Ratio, Count, Shares }

public enum Balance { Debit, Credit }

/// <summary>
/// What a number measures. Ids follow IFRS taxonomy element names where one exists; otherwise a
/// PascalCase extension; <see cref="IfrsElement"/> says which: 174 of the ids are, case for case, elements of
/// the IFRS Accounting Taxonomy (checked by script against full_ifrs-cor_2022-03-24.xsd, 5,247 elements, names,
/// balances and period types; cross-checked against the 2025 taxonomy's monetary elements), so that exports name IFRS
/// elements only where they exist. Near misses such as
/// AdditionalPaidInCapital (IFRS: AdditionalPaidinCapital) stay extensions until the id is renamed. Labels are kept as printed, several per
/// language where documents differ.
/// </summary>
public sealed record Concept(
    string Id,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Labels,
    PeriodType PeriodType,
    DataType DataType,
    Balance? Balance,
    bool NonGaap,
    bool IfrsElement = false,
    // An amount that only ever has its balance's direction: an asset, liability, allowance, revenue, cost or
    // expense. Results, equity components, tax expense, gains and losses, and cash flows are not: they may be negative.
    bool NonNegative = false,
    // A taxonomy's element the catalog does not define (us-gaap:Revenues, ifrs-full:Revenue, dei:…) as a filing names it:
    // the ledger keeps it under that name and knows nothing of it but the name, so period type and unit are the filing's.
    bool External = false)
{
    /// <summary>
    /// An element of a published taxonomy, named <c>prefix:LocalName</c> (<c>us-gaap:Revenues</c>): what a filing states
    /// under a concept the catalog does not define. Labelled with its local name.
    /// </summary>
    public static Concept ExternalElement(string qualifiedName) => new(qualifiedName,
        new Dictionary<string, IReadOnlyList<string>> { ["en"] = [qualifiedName[(qualifiedName.IndexOf(':') + 1)..]] },
        PeriodType.Duration, DataType.Monetary, null, false, External: true);

    /// <summary>True when the unit suits the data type (CNY for money, CNY/share per share, pure for ratios); any unit for an external element.</summary>
    public bool Accepts(string unit) => External || DataType switch
    {
        DataType.Monetary => Units.IsCurrency(unit),
        DataType.PerShare => unit.EndsWith("/share", StringComparison.Ordinal) && Units.IsCurrency(unit[..^"/share".Length]),
        DataType.Ratio => unit == Units.Pure,
        DataType.Count => unit == Units.Count,
        DataType.Shares => unit == Units.Shares,
        _ => false,
    };

    public string Label(string language) =>
        Labels.TryGetValue(language, out var l) && l.Count > 0 ? l[0]
        : Labels.Values.FirstOrDefault(v => v.Count > 0)?[0] ?? Id;
}

public static class Units
{
    public const string Pure = "pure";
    public const string Count = "count";
    public const string Shares = "shares";
    /// <summary>An ISO 4217 code: three capital letters (CNY, USD, HKD, COP, …).</summary>
    public static bool IsCurrency(string unit) => unit.Length == 3 && unit.All(char.IsAsciiLetterUpper);

    /// <summary>
    /// A unit a filing counts other things in (segment, company, private_placement: XBRL unit ids in lower case), kept
    /// as given.
    /// </summary>
    public static bool IsCountOfThings(string unit) =>
        unit.Length is > 0 and <= 40 && char.IsAsciiLetterLower(unit[0]) && unit.All(c => char.IsAsciiLetterLower(c) || c == '_')
        && unit is not (Pure or Count or Shares);

    public static bool IsKnown(string unit) =>
        IsCurrency(unit) || unit is Pure or Count or Shares ||
        (unit.EndsWith("/share", StringComparison.Ordinal) && IsCurrency(unit[..^"/share".Length])) || IsCountOfThings(unit);
}
