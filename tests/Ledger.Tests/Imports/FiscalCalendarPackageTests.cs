using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Imports;

/// <summary>An entity's fiscal calendar given in its package: what its ids mean, that it cannot change, and its checks.</summary>
[Collection(LedgerCollection.Name)]
public class FiscalCalendarPackageTests(LedgerApp app)
{
    private static JsonObject WithYearEnd(JsonObject package, string fiscalYearEnd)
    {
        package["entities"]![0]!["fiscalYearEnd"] = fiscalYearEnd;
        return package;
    }

    [Fact]
    public async Task A_52_53_week_filer_keys_its_years_by_their_dates_and_its_growth_rate_finds_the_year_before()
    {
        // Years ending on the last Saturday of September: FY2024 ran 2023-10-01..2024-09-28, FY2023 2022-09-25..2023-09-30.
        var growth = MadeUp.Fact("YearOnYearChange", "FY2024", "12.0%", unit: "pure", scale: "percent");
        growth["dims"] = new JsonObject { ["measure"] = "Revenue" };
        var package = WithYearEnd(MadeUp.Package("CAL.WEEKS", "AR2024", "2024-11-01",
            MadeUp.Fact("Revenue", "FY2024", "110"), MadeUp.Fact("Revenue", "FY2023", "100"), growth), "last Saturday of September");
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().Be(HttpStatusCode.Created);

        var year = await app.GetJsonAsync("/api/entities/CAL.WEEKS/figures/Revenue/FY2024");
        year.GetProperty("period").GetString().Should().Be("2023-10-01..2024-09-28");
        (await app.GetJsonAsync("/api/entities/CAL.WEEKS/figures/Revenue/2022-09-25..2023-09-30")).GetProperty("current").GetProperty("value").GetString().Should().Be("100");
        var finding = (await app.GetJsonAsync("/api/checks?entity=CAL.WEEKS")).GetProperty("findings").EnumerateArray().Single();
        finding.GetProperty("verdict").GetString().Should().Be("inconsistent", "110 against the year before's 100 is 10.0%, not 12.0%: the prior year was found");

        // The calendar is the entity's: a later package cannot give it another.
        var other = WithYearEnd(MadeUp.Package("CAL.WEEKS", "AR2025", "2025-11-01", MadeUp.Fact("Revenue", "FY2025", "120")), "--12-31");
        var refused = await app.PostPackageAsync(other.Json());
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("$.entities[0].fiscalYearEnd").And.Contain("last Saturday of September");
    }

    [Theory]
    [InlineData("FY0001")]
    [InlineData("0001Q1")]
    [InlineData("0001-01-01")]
    [InlineData("2023-01-01..9999-12-31")]
    [InlineData("2024-02-30..2024-03-31")]
    public async Task Periods_at_the_ends_of_the_calendar_are_a_problem_naming_the_period_not_a_failure(string period)
    {
        var response = await app.Client.GetAsync($"/api/entities/0268.HK/figures/Revenue/{period}");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("period");
    }

    [Fact]
    public async Task A_control_character_in_company_facts_is_a_problem_naming_where_it_is()
    {
        var body = """{"cik": 77, "entityName": "NUL\u0000 INC.", "facts": {}}""";
        var response = await app.Client.PostAsync("/api/imports/sec-companyfacts", new StringContent(body, Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("$.entityName");
    }
}
