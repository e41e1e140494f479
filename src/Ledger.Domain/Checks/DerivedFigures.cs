using Ledger.Domain.Values;

namespace Ledger.Domain.Checks;

/// <summary>What a ratio check found: the verdict, the ratio the figures give (or its interval), and the gap.</summary>
public sealed record RatioCheck(Verdict Verdict, decimal? Computed, (decimal Low, decimal High)? ComputedInterval, decimal Gap);

/// <summary>
/// Growth rates, margins and shares printed beside values, checked against those values at the printed
/// precision: the ratio of two intervals is an interval, and the printed ratio's interval must meet it.
/// </summary>
public static class DerivedFigures
{
    /// <summary>The measure a printed margin is a share of revenue of.</summary>
    public static string? MeasureOfMargin(string concept) => concept switch
    {
        "GrossMargin" => "GrossProfit",
        "NetLossMargin" or "NetProfitMargin" => "ProfitLoss",
        _ when concept.EndsWith("Margin", StringComparison.Ordinal) && concept.Length > "Margin".Length =>
            concept[..^"Margin".Length] switch
            {
                "AdjustedGross" => "AdjustedGrossProfit",
                "AdjustedNetLoss" => "AdjustedNetLoss",
                var m => m,
            },
        _ => null,
    };

    /// <summary>numerator / denominator (− 1 for a growth rate) against the printed ratio.</summary>
    public static RatioCheck Ratio(Amount numerator, Amount denominator, Amount printed, bool growth)
    {
        if (numerator.IsNil || denominator.IsNil || printed.IsNil || denominator.Value == 0)
            return new RatioCheck(Verdict.Indeterminate, null, null, 0);
        var (nl, nh) = numerator.Interval();
        var (dl, dh) = denominator.Interval();
        if (dl <= 0 && dh >= 0) return new RatioCheck(Verdict.Indeterminate, null, null, 0); // the denominator could be zero
        decimal[] corners = [nl / dl, nl / dh, nh / dl, nh / dh];
        var offset = growth ? 1m : 0m;
        var (low, high) = (corners.Min() - offset, corners.Max() - offset);
        var computed = numerator.Value!.Value / denominator.Value!.Value - offset;
        var (pl, ph) = printed.Interval();
        var gap = Math.Max(0, Math.Max(pl - high, low - ph));
        var exact = printed.Decimals is { } d && Calculation.RoundTo(computed, d) == printed.Value;
        return new RatioCheck(exact ? Verdict.Consistent : gap == 0 ? Verdict.ConsistentWithinRounding : Verdict.Inconsistent, computed, (low, high), gap);
    }

    /// <summary>Where the prior-year value is absent: the interval a printed growth rate implies for it.</summary>
    public static (decimal Low, decimal High)? ImpliedPrior(Amount current, Amount growth)
    {
        if (current.IsNil || growth.IsNil) return null;
        var (cl, ch) = current.Interval();
        var (gl, gh) = growth.Interval();
        if (gl <= -1 && gh >= -1) return null;
        decimal[] corners = [cl / (1 + gl), cl / (1 + gh), ch / (1 + gl), ch / (1 + gh)];
        return (corners.Min(), corners.Max());
    }
}
