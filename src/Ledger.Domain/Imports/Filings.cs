namespace Ledger.Domain.Imports;

/// <summary>
/// Regulatory filings as document kinds: the SEC forms company facts come from. A filing's XBRL says what it states,
/// never whether a value differs from an earlier filing's, so the views tell restatements from re-presentations by
/// comparing values (<see cref="Figures.FigureTimeline"/>).
/// </summary>
public static partial class Filings
{
    /// <summary>The forms most facts come from; any SEC form name is a filing's kind (10-KT, S-1, F-4, DEF 14A, 424B4).</summary>
    public static readonly IReadOnlyList<string> Forms =
        ["10-K", "10-K/A", "10-Q", "10-Q/A", "20-F", "20-F/A", "40-F", "40-F/A", "8-K", "8-K/A", "6-K", "6-K/A"];

    /// <summary>An SEC form name: capitals, digits and hyphens, a second word at most, and /A for an amendment.</summary>
    public static bool IsFiling(string? kind) => kind is not null && FormName().IsMatch(kind);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9A-Z][0-9A-Z-]{0,11}( [0-9A-Z-]{1,8})?(/A)?$")]
    private static partial System.Text.RegularExpressions.Regex FormName();

    public static bool IsAmendment(string? kind) => IsFiling(kind) && kind!.EndsWith("/A", StringComparison.Ordinal);

    /// <summary>The form an amendment amends (10-K for 10-K/A).</summary>
    public static string BaseForm(string kind) => kind.EndsWith("/A", StringComparison.Ordinal) ? kind[..^2] : kind;

    /// <summary>Annual report forms: their full-year durations give an entity's fiscal calendar.</summary>
    public static bool IsAnnual(string kind) => BaseForm(kind) is "10-K" or "10-KT" or "10-K405" or "20-F" or "40-F";
}
