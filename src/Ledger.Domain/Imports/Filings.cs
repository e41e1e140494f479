namespace Ledger.Domain.Imports;

/// <summary>
/// Regulatory filings as document kinds: the SEC forms company facts come from. A filing's XBRL says what it states,
/// never whether a value differs from an earlier filing's, so the views tell restatements from re-presentations by
/// comparing values (<see cref="History.FigureTimeline"/>).
/// </summary>
public static class Filings
{
    public static readonly IReadOnlyList<string> Forms =
        ["10-K", "10-K/A", "10-Q", "10-Q/A", "20-F", "20-F/A", "40-F", "40-F/A", "8-K", "8-K/A", "6-K", "6-K/A"];

    public static bool IsFiling(string? kind) => kind is not null && Forms.Contains(kind);

    public static bool IsAmendment(string? kind) => IsFiling(kind) && kind!.EndsWith("/A", StringComparison.Ordinal);

    /// <summary>The form an amendment amends (10-K for 10-K/A).</summary>
    public static string BaseForm(string kind) => kind.EndsWith("/A", StringComparison.Ordinal) ? kind[..^2] : kind;

    /// <summary>Annual report forms: their full-year durations give an entity's fiscal calendar.</summary>
    public static bool IsAnnual(string kind) => BaseForm(kind) is "10-K" or "20-F" or "40-F";
}
