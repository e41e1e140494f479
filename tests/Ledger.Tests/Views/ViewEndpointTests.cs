using System.Net;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

[Collection(LedgerCollection.Name)]
public class ViewEndpointTests(LedgerApp app)
{
    [Fact]
    public async Task Entities_lists_the_four_seed_companies()
    {
        var entities = await app.GetJsonAsync("/api/entities");
        entities.EnumerateArray().Select(e => e.GetProperty("id").GetString()).Should().Contain(["0020.HK", "0268.HK", "3896.HK", "688083.SH"]);
    }

    [Fact]
    public async Task The_current_figure_list_of_a_period_holds_money_as_strings_with_unit_and_decimals()
    {
        var list = await app.GetJsonAsync("/api/entities/3896.HK/figures?period=FY2024");
        var netLoss = list.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("figure").GetString() == "3896.HK|ProfitLoss|FY2024|consolidated");
        // seed line 543: 淨虧損 (2,183,647) (1,979,042) (271,127), RMB thousands
        netLoss.GetProperty("current").GetProperty("value").GetString().Should().Be("-1979042000");
        netLoss.GetProperty("current").GetProperty("unit").GetString().Should().Be("CNY");
        netLoss.GetProperty("current").GetProperty("decimals").GetString().Should().Be("-3");
    }

    [Fact]
    public async Task The_as_reported_list_of_one_document_shows_what_it_printed()
    {
        var list = await app.GetJsonAsync("/api/entities/0268.HK/figures?view=as-reported&document=0268.HK/PR2023");
        var revenue = list.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("figure").GetString() == "0268.HK|Revenue|FY2023|consolidated");
        // seed line 18: 錄得收入約人民幣 56.79 億元
        revenue.GetProperty("printed").GetString().Should().Be("約人民幣56.79億元");
        revenue.GetProperty("value").GetProperty("value").GetString().Should().Be("5679000000");
    }

    [Fact]
    public async Task The_as_reported_list_of_a_document_the_ledger_neither_holds_nor_has_values_of_is_a_404_naming_it()
    {
        var missing = await app.Client.GetAsync("/api/entities/0268.HK/figures?view=as-reported&document=0268.HK/AR1999");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await LedgerApp.JsonOf(missing)).GetProperty("detail").GetString().Should().Be("Document '0268.HK/AR1999' is not in the ledger.");
        // The entity is answered for first.
        var unknownEntity = await app.Client.GetAsync("/api/entities/NOPE.XX/figures?view=as-reported&document=0268.HK/PR2023");
        (await LedgerApp.JsonOf(unknownEntity)).GetProperty("detail").GetString().Should().Be("Entity 'NOPE.XX' is not in the ledger.");
        // Another entity's document filters this entity's figures to none, as before.
        var others = await app.GetJsonAsync("/api/entities/0268.HK/figures?view=as-reported&document=3896.HK/PR2024");
        others.GetProperty("figures").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task The_statement_of_a_period_lays_out_its_lines_in_the_order_printed()
    {
        var statement = await app.GetJsonAsync("/api/entities/3896.HK/statements/FY2024");
        var lines = statement.GetProperty("lines").EnumerateArray().ToList();
        lines.Should().Contain(l => l.GetProperty("figure").GetString() == "3896.HK|Revenue|FY2024|consolidated");
        var order = lines.Select(l => l.GetProperty("figure").GetString()).ToList();
        // seed lines 520 (總收入) and 543 (淨虧損): revenue comes before the net loss
        order.IndexOf("3896.HK|Revenue|FY2024|consolidated").Should().BeLessThan(order.IndexOf("3896.HK|ProfitLoss|FY2024|consolidated"));
    }

    [Theory]
    [InlineData("/api/entities/NOPE.XX/figures/Revenue/FY2023", HttpStatusCode.NotFound)]
    [InlineData("/api/entities/3896.HK/figures/NoSuchConcept/FY2024", HttpStatusCode.NotFound)]
    [InlineData("/api/entities/3896.HK/figures/Revenue/FY1999", HttpStatusCode.NotFound)]
    [InlineData("/api/entities/3896.HK/figures/Revenue/FY2024?asOf=2024-13-01", HttpStatusCode.BadRequest)]
    [InlineData("/api/entities/3896.HK/figures/Revenue/FY24", HttpStatusCode.BadRequest)]
    [InlineData("/api/entities/3896.HK/figures/Revenue/FY2024/history?asOf=yesterday", HttpStatusCode.BadRequest)]
    [InlineData("/api/entities/NOPE.XX/figures", HttpStatusCode.NotFound)]
    [InlineData("/api/entities/3896.HK/figures?asOf=31/12/2024", HttpStatusCode.BadRequest)]
    [InlineData("/api/entities/3896.HK/statements/FY1999", HttpStatusCode.NotFound)]
    [InlineData("/api/entities/3896.HK/statements/FY2024?asOf=x", HttpStatusCode.BadRequest)]
    [InlineData("/api/entities/688083.SH/figures/DeferredTaxAssets/2022-01-01?opening=maybe", HttpStatusCode.BadRequest)]
    public async Task Unknown_things_are_404_and_bad_parameters_400_as_problem_documents(string url, HttpStatusCode status)
    {
        var response = await app.Client.GetAsync(url);
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_figure_as_of_a_date_before_it_was_published_is_not_yet_known()
    {
        // Kingsoft Cloud published its FY2024 results on 2025-03-19 (seed line 906).
        var response = await app.Client.GetAsync("/api/entities/3896.HK/figures/Revenue/FY2024?asOf=2025-03-18");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.CurrentAsync("3896.HK", "Revenue", "FY2024", extra: "asOf=2025-03-19")).Value.Should().Be("7785180000");
    }

    [Fact]
    public async Task Point_in_time_follows_publication_dates_not_the_order_of_loading()
    {
        var later = MadeUp.Package("PIT.A", "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        later["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = "PIT.A/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022" });
        later["restatements"] = new JsonArray(MadeUp.Restatement("ProfitLoss", "FY2022", "50", "45", "PIT.A/AR2022"));
        var earlier = MadeUp.Package("PIT.A", "AR2022", "2023-03-20", MadeUp.Fact("ProfitLoss", "FY2022", "50"));
        (await app.PostPackageAsync(later.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        (await app.PostPackageAsync(earlier.Json())).StatusCode.Should().Be(HttpStatusCode.Created);

        (await app.Client.GetAsync("/api/entities/PIT.A/figures/ProfitLoss/FY2022?asOf=2023-03-19")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.CurrentAsync("PIT.A", "ProfitLoss", "FY2022", extra: "asOf=2023-03-20")).Value.Should().Be("50");
        (await app.CurrentAsync("PIT.A", "ProfitLoss", "FY2022", extra: "asOf=2024-03-19")).Value.Should().Be("50");
        (await app.CurrentAsync("PIT.A", "ProfitLoss", "FY2022", extra: "asOf=2024-03-20")).Value.Should().Be("45");
        var list = await app.GetJsonAsync("/api/entities/PIT.A/figures?view=as-reported&asOf=2023-12-31");
        list.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("document").GetProperty("id").GetString()).Should().OnlyContain(d => d == "PIT.A/AR2022");
    }
}
