using System.Globalization;
using Ledger.Domain.Values;

namespace Ledger.Domain.Imports;

/// <summary>
/// Share splits inferred from company facts, which never name one: a filing that states anew every share count and
/// per-share amount of earlier periods it repeats, each changed by one factor (share counts multiplied by it, per-share
/// amounts divided), at least two of them and none unchanged, adjusted for a split (or consolidation) of that factor.
/// </summary>
public static class ShareSplits
{
    /// <summary>A filing's split: its factor, and for each fact it adjusts, the earlier filing's fact it restates.</summary>
    internal sealed record Split(decimal Factor, IReadOnlyDictionary<SecCompanyFacts.RawFact, SecCompanyFacts.RawFact> Before);

    /// <summary>The splits of the filings given in filing order, by accession.</summary>
    internal static Dictionary<string, Split> Infer(IEnumerable<List<SecCompanyFacts.RawFact>> filingsInOrder)
    {
        var splits = new Dictionary<string, Split>(StringComparer.Ordinal);
        var known = new Dictionary<(string Concept, string Unit, DateOnly? Start, DateOnly End), SecCompanyFacts.RawFact>();
        foreach (var facts in filingsInOrder)
        {
            var changed = new Dictionary<SecCompanyFacts.RawFact, SecCompanyFacts.RawFact>();
            var unchanged = 0;
            foreach (var f in facts.Where(f => ShareCount(f.Unit) || PerShare(f.Unit)))
            {
                if (!known.TryGetValue(Key(f), out var before)) continue;
                if (Amount(f).AgreesWith(Amount(before))) unchanged++;
                else changed[f] = before;
            }
            if (changed.Count >= 2 && unchanged == 0 && Factor(changed) is { } factor) splits[facts[0].Accession] = new Split(factor, changed);
            foreach (var f in facts) known[Key(f)] = f;
        }
        return splits;
    }

    /// <summary>The one factor every change implies (within half a percent), or null.</summary>
    private static decimal? Factor(Dictionary<SecCompanyFacts.RawFact, SecCompanyFacts.RawFact> changes)
    {
        var ratios = new List<decimal>();
        foreach (var (now, before) in changes)
        {
            if (now.Value == 0 || before.Value == 0 || Math.Sign(now.Value) != Math.Sign(before.Value)) return null;
            try { ratios.Add(ShareCount(now.Unit) ? now.Value / before.Value : before.Value / now.Value); }
            catch (OverflowException) { return null; } // a ratio past decimal's range is no split anyone announces
        }
        var first = ratios[0];
        // A whole factor (4-for-1) or a whole consolidation (1-for-10) where the ratio is one, else the ratio itself.
        var factor = first >= 1 ? (Math.Abs(first - Math.Round(first)) <= first * 0.005m ? Math.Round(first) : first)
            : (Math.Abs(1 / first - Math.Round(1 / first)) <= (1 / first) * 0.005m ? 1 / Math.Round(1 / first) : first);
        if (factor == 1) return null;
        return ratios.All(r => Math.Abs(r - factor) <= factor * 0.005m) ? factor : null;
    }

    /// <summary>A factor as people write it: 4, 0.1 (1-for-10), 1.5.</summary>
    public static string Text(decimal factor) => Math.Round(factor, 6).ToString("0.######", CultureInfo.InvariantCulture);

    private static bool ShareCount(string unit) => unit == "shares";

    private static bool PerShare(string unit) => unit.EndsWith("/shares", StringComparison.Ordinal);

    private static (string, string, DateOnly?, DateOnly) Key(SecCompanyFacts.RawFact f) => (f.Concept, f.Unit, f.Start, f.End);

    private static Amount Amount(SecCompanyFacts.RawFact f) => Values.Amount.Of(f.Value, f.Unit, InferredPrecision.DecimalsOf(f.Value));
}
