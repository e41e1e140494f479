using Ledger.Domain.Checks;
using Ledger.Domain.Parsing;
using Ledger.Domain.Values;

namespace Ledger.Tests.Domain;

/// <summary>Rounding-aware sums, with the seed cases of the design brief (section 6) checked against the seed text.</summary>
public class CalculationTests
{
    private static Amount A(string printed, string scale, string unit = "CNY") => PrintedNumber.Parse(printed, scale).ToAmount(unit);

    [Fact]
    public void Kingsoft_Cloud_adjusted_net_loss_adds_up_exactly()
    {
        // seed 002 lines 104-111: (1,979,042) + 214,441 + 19,531 + 919,724 = (825,346), RMB thousands
        var result = Calculation.Sum(
            [new(A("(1,979,042)", "thousands")), new(A("214,441", "thousands")), new(A("19,531", "thousands")), new(A("919,724", "thousands"))],
            A("(825,346)", "thousands"));
        result.Verdict.Should().Be(Verdict.Consistent);
        result.Computed.Should().Be(-825_346_000m);
    }

    [Fact]
    public void SenseTime_adjusted_EBITDA_is_consistent_only_within_rounding()
    {
        // seed 003 lines 628-642: EBITDA (5,449.6) + 32.1 + 324.0 + 724.4 = (4,369.1); reported (4,369.0), RMB millions
        var result = Calculation.Sum(
            [new(A("(5,449.6)", "millions")), new(A("32.1", "millions")), new(A("324.0", "millions")), new(A("724.4", "millions"))],
            A("(4,369.0)", "millions"));
        result.Verdict.Should().Be(Verdict.ConsistentWithinRounding);
        result.Computed.Should().Be(-4_369_100_000m);
        result.Difference.Should().Be(-100_000m);
        result.Gap.Should().Be(0);
    }

    [Fact]
    public void ZWSOFT_Interpretation_16_balance_sheet_adjustments_at_2022_12_31_balance()
    {
        // seed 004 lines 5432-5435: ΔDTA 3,478,315.66 − ΔDTL 3,404,229.81 = Δ surplus reserve -30,528.59 + Δ retained earnings 104,614.44
        // (= Δ equity 74,085.85, printed in the equity statement, line 4191: 加:会计政策变更)
        var equity = Calculation.Sum([new(A("3,478,315.66", "units")), new(A("3,404,229.81", "units"), -1)], A("74,085.85", "units"));
        equity.Verdict.Should().Be(Verdict.Consistent);
        Calculation.Sum([new(A("-30,528.59", "units")), new(A("104,614.44", "units"))], A("74,085.85", "units")).Verdict.Should().Be(Verdict.Consistent);
    }

    [Fact]
    public void A_sum_no_rounding_can_reconcile_is_inconsistent_by_the_gap_between_the_intervals()
    {
        var result = Calculation.Sum([new(A("100.0", "millions")), new(A("50.0", "millions"))], A("150.5", "millions"));
        result.Verdict.Should().Be(Verdict.Inconsistent);
        result.Gap.Should().Be(350_000m); // [149.9, 150.1] against [150.45, 150.55] millions: 0.35 million apart
    }

    [Fact]
    public void Mixed_decimals_and_exact_values()
    {
        // 56.79億 (±0.005億) is consistent with the exact parts 5,000,000,000 + 679,123,456
        Calculation.Sum([new(Amount.Of(5_000_000_000m, "CNY", null)), new(Amount.Of(679_123_456m, "CNY", null))], A("56.79億", "units"))
            .Verdict.Should().Be(Verdict.ConsistentWithinRounding);
        // exact against exact must be exactly equal
        Calculation.Sum([new(Amount.Of(1m, "CNY", null))], Amount.Of(1.0000001m, "CNY", null)).Verdict.Should().Be(Verdict.Inconsistent);
    }

    [Fact]
    public void A_nil_term_makes_the_check_indeterminate() =>
        Calculation.Sum([new(A("-", "units")), new(A("1", "units"))], A("1", "units")).Verdict.Should().Be(Verdict.Indeterminate);

    [Theory]
    // seed 002: revenue 7,785,180 (thousands, line 520) and 人民幣7,785.2百萬元 (line 162)
    [InlineData("7,785,180", "thousands", "人民幣7,785.2百萬元", null, Verdict.ConsistentWithinRounding)]
    // seed 002: other revenue 152 thousand (line 518) against 人民幣0.1百萬元 (line 304) would round to 0.2
    [InlineData("152", "thousands", "人民幣0.1百萬元", null, Verdict.Inconsistent)]
    [InlineData("(1,979,042)", "thousands", "(1,979,042)", "thousands", Verdict.Consistent)]
    public void Duplicates_agree_at_the_lower_precision(string a, string? scaleA, string b, string? scaleB, Verdict verdict) =>
        Calculation.Duplicate(A(a, scaleA ?? "units"), A(b, scaleB ?? "units")).Should().Be(verdict);

    [Theory]
    // seed 003: 突破10億 (line 69, a floor) and 1,183.7 million (line 53) of generative AI revenue
    [InlineData("突破10億", "1,183.7", Verdict.Consistent)]
    [InlineData("突破10億", "900.0", Verdict.Inconsistent)]
    // seed 000: 超過740萬 stated twice (lines 48 and 170)
    [InlineData("超過740萬", "超過740萬", Verdict.Consistent)]
    public void A_floor_agrees_with_any_statement_that_reaches_it(string floor, string millions, Verdict verdict)
    {
        var other = millions.StartsWith('超') ? A(millions, "units") : A(millions, "millions");
        Calculation.Duplicate(A(floor, "units"), other).Should().Be(verdict);
        Calculation.Duplicate(other, A(floor, "units")).Should().Be(verdict);
    }
}
