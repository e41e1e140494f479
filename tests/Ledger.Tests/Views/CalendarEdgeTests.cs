using System.Net;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

/// <summary>
/// Periods at the calendar's edges (years before 1000, the first years) recorded and read back. The views and checks that
/// work out another period from a figure's (the year before, a closing balance) failed on them: a year before 1000
/// printed as FY999, which no reader takes back, and the year before year 1 is no date. Each was a 500, some on every read
/// of the checks after it (found by a review of the date arithmetic).
/// </summary>
[Collection(LedgerCollection.Name)]
public class CalendarEdgeTests(LedgerApp app)
{
    public static TheoryData<string, string?, string, string, string?, string?, string?> Figures => new()
    {
        // entity, its fiscal year end, concept, period; for a growth rate, its measure, the period of the measure's value
        // this year, and the period the year before is keyed by (none before the calendar's second day)
        { "EDGE.FY", null, "Revenue", "FY0999", null, null, null },
        { "EDGE.HALF", null, "Revenue", "0999H1", null, null, null },
        { "EDGE.DATES", null, "Revenue", "0999-01-01..0999-12-31", null, null, null },
        { "EDGE.GROWTH", null, "YearOnYearChange", "FY1000", "Assets", "1000-12-31", "0999-12-31" },
        { "EDGE.FIRST", null, "YearOnYearChange", "0001-01-02..0001-12-31", "Revenue", "0001-01-02..0001-12-31", null },
        { "EDGE.SECOND", null, "YearOnYearChange", "0002-01-01..0002-11-30", "Assets", "0002-11-30", null },
        { "EDGE.JUNE", "--06-30", "YearOnYearChange", "FY0002", "Revenue", "FY0002", null },
        { "EDGE.JUNEHALF", "--06-30", "YearOnYearChange", "0999H1", "Revenue", "0999H1", "0997-07-01..0997-12-31" },
    };

    [Theory]
    [MemberData(nameof(Figures))]
    public async Task A_figure_at_the_calendars_edge_is_recorded_and_every_view_of_it_reads(string entity, string? fiscalYearEnd, string concept,
        string period, string? measure, string? measuredIn, string? yearBefore)
    {
        var fact = measure is null ? MadeUp.Fact(concept, period, "1,000") : MadeUp.Fact(concept, period, "10.0%", unit: "pure", scale: "percent");
        if (measure is not null) fact["dims"] = new JsonObject { ["measure"] = measure };
        var package = measure is null ? MadeUp.Package(entity, "AR1", "2024-03-01", fact)
            : MadeUp.Package(entity, "AR1", "2024-03-01", fact, MadeUp.Fact(measure, measuredIn!, "110"));
        if (fiscalYearEnd is not null) package["entities"]![0]!["fiscalYearEnd"] = fiscalYearEnd;
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().Be(HttpStatusCode.Created);

        var dims = measure is null ? "" : $"?dims=measure%3D{measure}";
        (await app.Client.GetAsync($"/api/entities/{entity}/figures/{concept}/{period}{dims}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await EveryViewReadsAsync(entity, period, $"/api/entities/{entity}/figures/{concept}/{period}/history{dims}");
        if (measure is null) return;

        // The rate is checked against the year before where there is one (FY0999 is a period now, FY999 was not), and
        // the ledger holds no value for it: the finding says so, and names the year before's figure where there is one.
        var finding = (await app.GetJsonAsync($"/api/checks?entity={entity}")).GetProperty("findings").EnumerateArray().Should().ContainSingle().Subject;
        finding.GetProperty("kind").GetString().Should().Be("growth-rate");
        finding.GetProperty("verdict").GetString().Should().Be("indeterminate");
        finding.GetProperty("detail").GetString().Should().StartWith("the prior-period value is not in the ledger");
        var figures = finding.GetProperty("figures").EnumerateArray().Select(f => f.GetString()).ToList();
        if (yearBefore is null) figures.Should().HaveCount(2, "the rate and this year's value: there is no year before");
        else figures.Should().HaveCount(3).And.HaveElementAt(2, $"{entity}|{measure}|{yearBefore}|consolidated");
    }

    [Fact]
    public async Task A_policy_change_whose_effect_is_before_the_year_1000_reconciles()
    {
        // Its effects are read back only by the reconciliation and the checks: the package was accepted, and both were a 500.
        var package = MadeUp.Package("EDGE.POLICY", "AR1", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1"));
        package["policyChanges"] = new JsonArray(new JsonObject
        {
            ["id"] = "EDGE-1", ["title"] = "A change", ["effectiveFrom"] = "2024-01-01",
            ["currentPeriodEffects"] = new JsonArray(MadeUp.Fact("Revenue", "FY0999", "1")),
        });
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().Be(HttpStatusCode.Created);

        (await app.Client.GetAsync("/api/entities/EDGE.POLICY/policy-changes/EDGE-1/reconciliation")).StatusCode.Should().Be(HttpStatusCode.OK);
        // The effect is no figure: the entity's statement is of the year its one fact is in.
        await EveryViewReadsAsync("EDGE.POLICY", "FY2023");
    }

    /// <summary>The entity's lists, statement, checks (its own and everyone's), workbench data and exports: each a 200.</summary>
    private async Task EveryViewReadsAsync(string entity, string period, params string[] more)
    {
        var urls = new List<string>(more)
        {
            $"/api/entities/{entity}/figures", $"/api/entities/{entity}/figures?period={period}", $"/api/entities/{entity}/statements/{period}",
            $"/api/entities/{entity}/documents", $"/api/checks?entity={entity}", "/api/checks", "/ui/data/entities", $"/ui/data/entities/{entity}",
        };
        foreach (var format in new[] { "csv", "xbrl-json" })
            foreach (var view in new[] { "current", "as-reported" })
                urls.Add($"/api/entities/{entity}/export?format={format}&view={view}");
        foreach (var url in urls)
        {
            using var response = await app.Client.GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {url}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
