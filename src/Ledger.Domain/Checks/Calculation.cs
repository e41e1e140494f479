using Ledger.Domain.Values;

namespace Ledger.Domain.Checks;

public enum Verdict
{
    /// <summary>The printed values add up exactly.</summary>
    Consistent,
    /// <summary>They do not add up exactly, but the intervals their decimals allow can meet.</summary>
    ConsistentWithinRounding,
    /// <summary>No rounding of the printed values can make them add up.</summary>
    Inconsistent,
    /// <summary>A value needed for the check is nil or missing.</summary>
    Indeterminate,
}

/// <summary>One term of a sum: a value and the sign it enters with (+1 or -1).</summary>
public sealed record Term(Amount Value, int Weight = 1);

/// <summary>
/// The outcome of checking a sum: what the terms add up to, what was reported, and by how much they
/// miss when no rounding can reconcile them (<see cref="Gap"/>, the distance between the two intervals).
/// </summary>
public sealed record CalculationResult(
    Verdict Verdict,
    decimal? Computed,
    decimal? Reported,
    decimal? Difference,
    decimal Gap,
    (decimal Low, decimal High)? ComputedInterval,
    (decimal Low, decimal High)? ReportedInterval);

/// <summary>
/// Rounding-aware arithmetic in the manner of XBRL Calculations 1.1: every value stands for the
/// interval its decimals allow (56.79億 at decimals -6 is [5,678,500,000, 5,679,500,000]); a sum is
/// consistent when the interval of the terms' sum and the interval of the reported total meet.
/// </summary>
public static class Calculation
{
    public static CalculationResult Sum(IReadOnlyList<Term> terms, Amount reported)
    {
        if (reported.IsNil || terms.Any(t => t.Value.IsNil))
            return new CalculationResult(Verdict.Indeterminate, null, reported.Value, null, 0, null, null);

        decimal computed = 0, low = 0, high = 0;
        foreach (var t in terms)
        {
            var (l, h) = t.Value.Interval();
            computed += t.Weight * t.Value.Value!.Value;
            if (t.Weight >= 0) { low += t.Weight * l; high += t.Weight * h; }
            else { low += t.Weight * h; high += t.Weight * l; }
        }
        var total = reported.Interval();
        var difference = computed - reported.Value!.Value;
        var gap = Math.Max(0, Math.Max(total.Low - high, low - total.High));
        var verdict = difference == 0 ? Verdict.Consistent : gap == 0 ? Verdict.ConsistentWithinRounding : Verdict.Inconsistent;
        return new CalculationResult(verdict, computed, reported.Value, difference, gap, (low, high), total);
    }

    /// <summary>
    /// Two statements of the same figure (thousands in a table, millions in the text) are consistent
    /// duplicates when the more precise one, rounded to the other's decimals, is the other.
    /// </summary>
    public static Verdict Duplicate(Amount a, Amount b)
    {
        if (a.IsNil || b.IsNil) return a.IsNil && b.IsNil ? Verdict.Consistent : Verdict.Inconsistent;
        // A floor ("more than X", 突破10億) states no value, only that the figure is at least X: it agrees with any statement
        // whose interval reaches X (and with any other floor); rounding has nothing to say about it.
        if (a.LowerBound || b.LowerBound) return a.AgreesWith(b) ? Verdict.Consistent : Verdict.Inconsistent;
        var (coarse, fine) = (a.Decimals ?? int.MaxValue) <= (b.Decimals ?? int.MaxValue) ? (a, b) : (b, a);
        if (coarse.Value == fine.Value) return Verdict.Consistent;
        if (coarse.Decimals is not { } d) return Verdict.Inconsistent;
        return RoundTo(fine.Value!.Value, d) == coarse.Value ? Verdict.ConsistentWithinRounding : Verdict.Inconsistent;
    }

    /// <summary>Rounds half away from zero to XBRL decimals (negative decimals round to tens, thousands ...).</summary>
    public static decimal RoundTo(decimal value, int decimals)
    {
        if (decimals >= 0) return Math.Round(value, Math.Min(decimals, 28), MidpointRounding.AwayFromZero);
        var unit = Amount.PowerOfTen(-decimals);
        return Math.Round(value / unit, MidpointRounding.AwayFromZero) * unit;
    }
}
