using CsCheck;
using Ledger.Domain.Parsing;
using Ledger.Domain.Values;

namespace Ledger.Tests.Domain;

public class PrintedNumberTests
{
    [Theory]
    // Kingdee 2023 results, lines 48 and 94: 服務超過 740 萬家客戶; 專精特新企業超 1,400 家.
    [InlineData("超過 740 萬", "7400000", -4)]
    [InlineData("超 1,400", "1400", 0)]
    [InlineData("more than 1,400", "1400", 0)]
    // line 113: 營銷服務合作夥伴數量突破 1,900 家 (broke through 1,900)
    [InlineData("突破 1,900", "1900", 0)]
    public void More_than_makes_the_value_a_lower_bound(string printed, string expected, int decimals)
    {
        var parsed = PrintedNumber.Parse(printed, "units");
        parsed.Value.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        parsed.Decimals.Should().Be(decimals);
        parsed.LowerBound.Should().BeTrue();
        var amount = parsed.ToAmount("count");
        amount.Interval().High.Should().Be(decimal.MaxValue, "a floor says nothing about how far above it the figure lies");
        amount.AgreesWith(Amount.Of(9_000_000m, "count", 0)).Should().BeTrue("any count above the floor agrees with it");
        amount.AgreesWith(Amount.Of(1_000m, "count", 0)).Should().BeFalse("a count below the floor does not");
    }

    [Theory]
    // printed, scale, value in base units, decimals
    [InlineData("(1,979,042)", "thousands", "-1979042000", -3)]
    [InlineData("1,340,926", "thousands", "1340926000", -3)]
    [InlineData("–10.6%", null, "-0.106", 3)]
    [InlineData("(9.4)%", null, "-0.094", 3)]
    [InlineData("56.79億", null, "5679000000", -6)]
    [InlineData("人民幣5,007.3百萬元", null, "5007300000", -5)]
    [InlineData("6,003,513.77", "units", "6003513.77", 2)]
    [InlineData("-298,242.83", "units", "-298242.83", 2)]
    [InlineData("（５，４４９．６）", "millions", "-5449600000", -5)]
    [InlineData("37.71", "percent", "0.3771", 4)]
    [InlineData("0.05", null, "0.05", 2)]
    public void Reads_printed_numbers_exactly(string printed, string? scale, string expected, int decimals)
    {
        var parsed = PrintedNumber.Parse(printed, scale);
        parsed.Value.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        parsed.Decimals.Should().Be(decimals);
        parsed.Nil.Should().BeNull();
    }

    [Fact]
    public void Approximately_is_dropped_and_remembered()
    {
        var parsed = PrintedNumber.Parse("約人民幣56.79億元");
        parsed.Value.Should().Be(5_679_000_000m);
        parsed.Decimals.Should().Be(-6);
        parsed.Approximate.Should().BeTrue();
        parsed.CurrencyHint.Should().Be("CNY");
    }

    [Fact]
    public void Has_exceeded_is_a_lower_bound()
    {
        // SenseTime 2023 results, line 264: 已經超過了20億台
        var parsed = PrintedNumber.Parse("超過了20億", "units");
        (parsed.Value, parsed.Decimals, parsed.LowerBound).Should().Be((2_000_000_000m, -8, true));
    }

    [Theory]
    // SenseTime 2023 results, lines 134 and 272: 300多個標準化算子接口, 90多個車型 (300-odd, 90-odd)
    [InlineData("300多", 300)]
    [InlineData("90多", 90)]
    public void Odd_after_a_count_is_a_lower_bound(string printed, int floor)
    {
        var parsed = PrintedNumber.Parse(printed, "units");
        parsed.Value.Should().Be(floor);
        parsed.LowerBound.Should().BeTrue();
        parsed.ToAmount("count").AgreesWith(Amount.Of(floor - 10, "count", 0)).Should().BeFalse("a count below the floor does not agree");
    }

    [Fact]
    public void Or_more_after_a_percentage_is_a_lower_bound()
    {
        // SenseTime 2023 results, line 135: 覆蓋率在 99.5%以上
        var parsed = PrintedNumber.Parse("99.5%以上");
        parsed.Value.Should().Be(0.995m);
        parsed.LowerBound.Should().BeTrue();
    }

    [Fact]
    public void Nearly_is_an_approximation()
    {
        // Kingdee 2023 results, line 127: 近 200 家 ISV 夥伴 (nearly 200)
        var parsed = PrintedNumber.Parse("近 200", "units");
        parsed.Value.Should().Be(200m);
        parsed.Approximate.Should().BeTrue();
        parsed.LowerBound.Should().BeFalse();
    }

    [Theory]
    [InlineData("-", NilKind.Nil)]
    [InlineData("—", NilKind.Nil)]
    [InlineData("–", NilKind.Nil)]
    [InlineData("不适用", NilKind.NotApplicable)]
    [InlineData("不適用", NilKind.NotApplicable)]
    public void Dashes_are_nil_and_not_applicable_is_its_own_thing(string printed, NilKind nil)
    {
        var parsed = PrintedNumber.Parse(printed, "units");
        parsed.Value.Should().BeNull();
        parsed.Nil.Should().Be(nil);
    }

    [Theory]
    [InlineData("1,23,456", "thousands separators are misplaced")]
    [InlineData("12a", "unexpected 'a'")]
    [InlineData("", "empty value")]
    [InlineData("-(5)", "negative twice")]
    [InlineData("5.", "nothing after the decimal point")]
    public void Anything_else_is_a_precise_error(string printed, string message)
    {
        PrintedNumber.TryParse(printed, "units", out _, out var error).Should().BeFalse();
        error.Should().Contain(message);
    }

    [Fact]
    public void A_scale_printed_inside_the_value_and_a_table_scale_together_are_refused()
    {
        PrintedNumber.TryParse("56.79億", "thousands", out _, out var error).Should().BeFalse();
        error.Should().Contain("carries its own scale");
    }

    [Fact]
    public void Formatting_then_parsing_gives_back_the_value_and_its_decimals()
    {
        (string Name, int Exponent)[] scales = [("units", 0), ("thousands", 3), ("millions", 6), ("億", 8), ("percent", -2)];
        var gen = from s in Gen.Int[0, scales.Length - 1]
                  from fraction in Gen.Int[0, 4]
                  from digits in Gen.Long[-999_999_999_999L, 999_999_999_999L]
                  from parentheses in Gen.Bool
                  select (scales[s].Name, scales[s].Exponent, fraction, digits, parentheses);
        gen.Sample(t =>
        {
            var (scale, exponent, fraction, digits, parentheses) = t;
            var decimals = fraction - exponent;
            var value = digits * Amount.PowerOfTen(-decimals);
            var printed = PrintedNumber.Format(value, decimals, scale, parentheses);
            var parsed = PrintedNumber.Parse(printed, scale);
            return parsed.Value == value && parsed.Decimals == decimals;
        }, iter: 2000);
    }
}
