using Ledger.Domain.Values;

namespace Ledger.Tests.Domain;

public class PeriodAndKeyTests
{
    [Theory]
    [InlineData("FY2023", PeriodType.Duration, "2023-01-01", "2023-12-31")]
    [InlineData("2023H1", PeriodType.Duration, "2023-01-01", "2023-06-30")]
    [InlineData("2023Q4", PeriodType.Duration, "2023-10-01", "2023-12-31")]
    [InlineData("2022-12-31", PeriodType.Instant, "2022-12-31", "2022-12-31")]
    [InlineData("2023H2", PeriodType.Duration, "2023-07-01", "2023-12-31")]
    [InlineData("2024Q1", PeriodType.Duration, "2024-01-01", "2024-03-31")]
    [InlineData("2023-02-01..2023-10-31", PeriodType.Duration, "2023-02-01", "2023-10-31")]
    [InlineData("9999Q3", PeriodType.Duration, "9999-07-01", "9999-09-30")]
    public void Periods_parse_to_their_dates(string text, PeriodType type, string start, string end)
    {
        var p = Period.Parse(text);
        p.Type.Should().Be(type);
        p.Start.Should().Be(DateOnly.Parse(start));
        p.End.Should().Be(DateOnly.Parse(end));
        p.Id.Should().Be(text);
        p.Should().Be(type == PeriodType.Instant ? Period.Instant(p.Start) : Period.CalendarPeriod(p.Start, p.End), "a parsed period is the one made from its dates");
    }

    [Theory]
    [InlineData(" FY2023 ", "FY2023")]
    // A year before 1000 keeps its four digits: "FY999" would be no period to read back (a 500 where a view did).
    [InlineData("FY0999", "FY0999")]
    [InlineData("0999H1", "0999H1")]
    [InlineData("0002Q4", "0002Q4")]
    public void A_period_read_with_spaces_or_a_year_before_1000_prints_as_it_reads_back(string text, string id)
    {
        Period.Parse(text).Id.Should().Be(id);
        Period.CalendarPeriod(Period.Parse(text).Start, Period.Parse(text).End).Id.Should().Be(id, "made from its dates it prints the same");
    }

    [Fact]
    public void An_opening_balance_as_at_1_January_is_the_closing_instant_of_the_day_before()
    {
        Period.OpeningBalance(new DateOnly(2022, 1, 1)).Id.Should().Be("2021-12-31");
    }

    [Theory]
    [InlineData("2023")]
    [InlineData("FY23")]
    [InlineData("2023Q5")]
    [InlineData("2023-02-30")]
    [InlineData("FY0000")]
    [InlineData("FY9999")]
    [InlineData("9999H2")]
    [InlineData("9999Q4")]
    [InlineData("0001Q1")]
    [InlineData("2023H3")]
    [InlineData("2023Q0")]
    [InlineData("FY٢٠٢٣")]
    [InlineData("٢٠٢٣Q1")]
    [InlineData("2023-10-31..2023-02-01")]
    [InlineData("")]
    public void Other_texts_are_not_periods(string text) => Period.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void A_figure_key_orders_its_dimensions_and_round_trips()
    {
        var key = new FigureKey("3896.HK", "AdjustedNetLoss", "FY2024", dimensions: new Dictionary<string, string> { ["translation"] = "USD", ["segment"] = "public-cloud" });
        key.ToString().Should().Be("3896.HK|AdjustedNetLoss|FY2024|consolidated|segment=public-cloud;translation=USD");
        FigureKey.Parse(key.ToString()).Should().Be(key);
    }

    [Theory]
    [InlineData("E|Revenue|FY2024|consolidated", "")]
    [InlineData("E|Revenue|FY2024|consolidated|", "")]
    [InlineData("E|Revenue|FY2024|parent|segment=cloud", "segment=cloud")]
    [InlineData("E|Revenue|FY2024|consolidated|segment=cloud;translation=USD", "segment=cloud;translation=USD")]
    [InlineData("E|Revenue|FY2024|consolidated|translation=USD;segment=cloud", "segment=cloud;translation=USD")]
    [InlineData("E|Revenue|FY2024|consolidated| segment = cloud ;;translation=USD", "segment=cloud;translation=USD")]
    [InlineData("E|Revenue|FY2024|consolidated|a=1;a=2", "a=2")]
    [InlineData("E|Revenue|FY2024|consolidated|a=x=y;B=1", "B=1;a=x=y")]
    public void A_key_parsed_from_its_text_is_the_key_its_parts_make_whether_or_not_the_text_is_canonical(string text, string dimensions)
    {
        var parsed = FigureKey.Parse(text);
        var made = new FigureKey(parsed.Entity, parsed.Concept, parsed.Period, parsed.Scope, FigureKey.ParseDimensions(text.Split('|').ElementAtOrDefault(4)));

        parsed.DimensionsText.Should().Be(dimensions).And.Be(made.DimensionsText);
        parsed.Dimensions.Should().Equal(made.Dimensions);
        parsed.ToString().Should().Be(made.ToString());
        parsed.Should().Be(made);
        FigureKey.IsCanonicalDimensions(dimensions).Should().Be(dimensions.Length > 0, "what a key prints is canonical");
    }

    [Theory]
    [InlineData("a=1;b=2", true)]
    [InlineData("b=2;a=1", false)]
    [InlineData("a=1;a=2", false)]
    [InlineData("a=1;", false)]
    [InlineData("a= 1", false)]
    [InlineData("=1", false)]
    [InlineData("a=", false)]
    [InlineData("", false)]
    public void Canonical_dimensions_are_what_formatting_their_parse_prints(string text, bool canonical)
    {
        FigureKey.IsCanonicalDimensions(text).Should().Be(canonical);
        if (canonical) FigureKey.FormatDimensions(FigureKey.ParseDimensions(text)).Should().Be(text);
    }

    [Fact]
    public void Amounts_agree_when_their_intervals_meet()
    {
        // 56.79億 (decimals -6) stands for [5,678,500,000, 5,679,500,000].
        Amount.Of(5_679_000_000m, "CNY", -6).AgreesWith(Amount.Of(5_679_123_456.78m, "CNY", 2)).Should().BeTrue();
        Amount.Of(6_301_756.60m, "CNY", 2).AgreesWith(Amount.Of(6_003_513.77m, "CNY", 2)).Should().BeFalse();
    }
}
