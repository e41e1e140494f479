using Ledger.Domain.Imports;
using Ledger.Domain.Values;

namespace Ledger.Tests.Domain;

/// <summary>Fiscal calendars, explicit periods and the precision inferred for values stated without decimals.</summary>
public class FiscalCalendarTests
{
    private static readonly FiscalCalendar Snowflake = FiscalCalendar.Fixed(1, 31);

    [Fact]
    public void A_year_ending_31_January_is_named_by_the_year_it_ends_in_and_its_quarters_are_three_months_from_1_February()
    {
        Snowflake.ToString().Should().Be("--01-31");
        Snowflake.Year(2024).Id.Should().Be("2023-02-01..2024-01-31");
        Snowflake.Quarter(2024, 1).Id.Should().Be("2023-02-01..2023-04-30");
        Snowflake.Quarter(2024, 3).Id.Should().Be("2023-08-01..2023-10-31");
        Snowflake.Quarter(2024, 4).Id.Should().Be("2023-11-01..2024-01-31");
        Snowflake.Half(2024, 2).Id.Should().Be("2023-08-01..2024-01-31");
        Snowflake.FiscalIdOf(Period.Parse("2023-08-01..2023-10-31")).Should().Be("2024Q3");
        Snowflake.FiscalIdOf(Period.Parse("2023-02-01..2023-10-31")).Should().BeNull("nine months to date are no fiscal period");

        Snowflake.TryResolve("FY2024", out var year).Should().BeTrue();
        year.Id.Should().Be("2023-02-01..2024-01-31", "the figures of an entity with another year end are keyed by their dates");
        Snowflake.TryResolve("2023-02-01..2024-01-31", out var same).Should().BeTrue();
        same.Should().Be(year);
        Snowflake.TryResolve("2024-01-31", out var instant).Should().BeTrue();
        instant.Type.Should().Be(PeriodType.Instant);
    }

    [Fact]
    public void Under_the_calendar_year_the_fiscal_ids_stay_the_keys_and_explicit_dates_resolve_to_them()
    {
        var calendar = FiscalCalendar.CalendarYear;
        calendar.TryResolve("2023-01-01..2023-12-31", out var year).Should().BeTrue();
        year.Id.Should().Be("FY2023");
        calendar.TryResolve("2023-07-01..2023-09-30", out var quarter).Should().BeTrue();
        quarter.Id.Should().Be("2023Q3");
        calendar.TryResolve("2023-01-01..2023-09-30", out var nineMonths).Should().BeTrue();
        nineMonths.Id.Should().Be("2023-01-01..2023-09-30");
        Period.Parse("FY2023").End.Should().Be(new DateOnly(2023, 12, 31));
        Period.TryParse("2023-12-31..2023-01-01", out _).Should().BeFalse("a period cannot end before it starts");
        Period.TryParse("2023-02-30..2023-03-01", out _).Should().BeFalse();
    }

    [Fact]
    public void A_52_53_week_year_ends_on_a_weekday_and_is_inferred_from_the_year_ends_a_company_reports()
    {
        // Apple: the last Saturday of September (2023-09-30, 2022-09-24, 2021-09-25, 2020-09-26).
        var apple = FiscalCalendar.Infer([new(2023, 9, 30), new(2022, 9, 24), new(2021, 9, 25), new(2020, 9, 26)])!;
        apple.ToString().Should().Be("last Saturday of September");
        apple.Year(2023).Id.Should().Be("2022-09-25..2023-09-30");
        apple.Quarter(2023, 1).Id.Should().Be("2022-09-25..2022-12-24", "13 weeks");
        FiscalCalendar.TryParse("last Saturday of September", out var parsed).Should().BeTrue();
        parsed.Should().Be(apple);

        // The Saturday nearest the end of January: 2024-02-03, 2023-01-28, 2022-01-29.
        var retailer = FiscalCalendar.Infer([new(2024, 2, 3), new(2023, 1, 28), new(2022, 1, 29)])!;
        retailer.ToString().Should().Be("Saturday nearest the end of January");
        retailer.Year(2024).End.Should().Be(new DateOnly(2024, 2, 3));

        FiscalCalendar.Infer([new(2023, 1, 31), new(2024, 1, 31)]).Should().Be(Snowflake);
        FiscalCalendar.Infer([new(2023, 3, 31), new(2024, 3, 31)])!.ToString().Should().Be("--03-31");
        FiscalCalendar.Infer([]).Should().BeNull();
        FiscalCalendar.TryParse("--02-30", out _).Should().BeFalse();
        FiscalCalendar.TryParse("the end of the year", out _).Should().BeFalse();
    }

    [Fact]
    public void Year_ends_at_the_edges_of_the_calendar_are_inferred_without_a_throw()
    {
        // Two Mondays that no weekday rule gives: the test of the year before the first asked for year 0's end, and an SEC
        // import of them was a 500. Two Saturdays early in 9998 and 9999, each the nearest to the end of the December
        // before: testing 9999's own year end asked for the nearest Saturday to 9999-12-31, which is in year 10000.
        FiscalCalendar.Infer([new(1, 12, 17), new(2, 12, 16)])!.ToString().Should().Be("--12-16");
        FiscalCalendar.Infer([new(9998, 1, 3), new(9999, 1, 2)])!.ToString().Should().Be("Saturday nearest the end of December");
    }

    [Fact]
    public void A_52_53_week_year_for_December_is_named_by_the_month_it_closes_and_its_53rd_week_falls_in_its_last_quarter()
    {
        FiscalCalendar.TryParse("Saturday nearest the end of December", out var calendar).Should().BeTrue();
        // 31 December 2026 is a Thursday: the nearest Saturday is 2 January 2027, and that year is still FY2026.
        calendar.Year(2026).Id.Should().Be("2026-01-04..2027-01-02");
        calendar.FiscalIdOf(calendar.Year(2026)).Should().Be("FY2026");
        // FY2025 runs from 29 December 2024 to 3 January 2026: 53 weeks, the 53rd in its fourth quarter.
        var year = calendar.Year(2025);
        (year.End.DayNumber - year.Start.DayNumber + 1).Should().Be(53 * 7);
        calendar.Quarter(2025, 1).Id.Should().Be("2024-12-29..2025-03-29", "13 weeks");
        calendar.Quarter(2025, 3).Id.Should().Be("2025-06-29..2025-09-27", "13 weeks");
        calendar.Quarter(2025, 4).Id.Should().Be("2025-09-28..2026-01-03", "14 weeks: the 53rd week is the last quarter's");
        calendar.FiscalIdOf(Period.Parse("2025-09-28..2026-01-03")).Should().Be("2025Q4");
    }

    [Theory]
    [InlineData("65695000", -3)]
    [InlineData("66000000", -6)]
    [InlineData("2806489000", -3)]
    [InlineData("300273227", 0)]
    [InlineData("0.11", 2)]
    [InlineData("0.019", 3)]
    [InlineData("3.770", 2)]
    [InlineData("-1300000000", -8)]
    [InlineData("0", 0)]
    public void Precision_is_inferred_from_the_value_as_stated(string value, int decimals) =>
        InferredPrecision.DecimalsOf(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(decimals);

    [Fact]
    public void Sixty_five_million_six_hundred_ninety_five_thousand_re_presented_as_sixty_six_million_agrees_within_rounding()
    {
        var thousands = Amount.Of(65_695_000m, "USD", InferredPrecision.DecimalsOf(65_695_000m));
        var millions = Amount.Of(66_000_000m, "USD", InferredPrecision.DecimalsOf(66_000_000m));
        thousands.AgreesWith(millions).Should().BeTrue();
        Amount.Of(398_346_000m, "USD", -3).AgreesWith(Amount.Of(539_390_000m, "USD", -4)).Should().BeFalse();
    }
}
