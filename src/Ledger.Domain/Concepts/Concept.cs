using Ledger.Domain.Values;

namespace Ledger.Domain.Concepts;

public enum DataType { Monetary, PerShare, Ratio, Count, Shares }

public enum Balance { Debit, Credit }

/// <summary>
/// What a number measures. Ids follow IFRS taxonomy element names where one exists; otherwise a
/// PascalCase extension; <see cref="IfrsElement"/> says which: 156 of the ids are, case for case, elements of
/// the IFRS Accounting Taxonomy 2025 (full_ifrs-cor_2025-03-27.xsd, 5,512 elements, checked by script; period
/// types agree), so that exports name IFRS elements only where they exist. Near misses such as
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
    bool NonNegative = false)
{
    /// <summary>True when the unit suits the data type (CNY for money, CNY/share per share, pure for ratios).</summary>
    public bool Accepts(string unit) => DataType switch
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
    private static readonly HashSet<string> Currencies = ["CNY", "USD", "HKD"];

    public static bool IsCurrency(string unit) => Currencies.Contains(unit);

    public static bool IsKnown(string unit) =>
        IsCurrency(unit) || unit is Pure or Count or Shares ||
        (unit.EndsWith("/share", StringComparison.Ordinal) && IsCurrency(unit[..^"/share".Length]));
}
