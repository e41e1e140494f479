using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

/// <summary>
/// The rules of a figure's timeline as users see them: a value changed without a word, a value known only because
/// a later document cites it, and what each view answers as of a date. Every expected value is written out here.
/// </summary>
[Collection(LedgerCollection.Name)]
public class TimelineRuleTests(LedgerApp app)
{
    /// <summary>
    /// TL.SILENT: AR2022 (2023-03-20) says revenue 900 and profit 50; AR2023 (2024-03-20) prints FY2022 revenue as
    /// 905 without presenting it as a restatement, and restates the profit 50 → 45.
    /// </summary>
    private async Task LoadSilentChangeAsync()
    {
        const string entity = "TL.SILENT";
        var ar2022 = MadeUp.Package(entity, "AR2022", "2023-03-20", MadeUp.Fact("Revenue", "FY2022", "900"), MadeUp.Fact("ProfitLoss", "FY2022", "50"));
        var ar2023 = MadeUp.Package(entity, "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("Revenue", "FY2022", "905"));
        ar2023["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = $"{entity}/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022" });
        ar2023["restatements"] = new JsonArray(MadeUp.Restatement("ProfitLoss", "FY2022", "50", "45", $"{entity}/AR2022"));
        foreach (var package in new[] { ar2022, ar2023 })
        {
            var response = await app.PostPackageAsync(package.Json());
            response.StatusCode.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.OK], await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_value_changed_without_a_restatement_is_labelled_so_and_flags_the_figure_as_restated()
    {
        await LoadSilentChangeAsync();

        var history = await app.GetJsonAsync("/api/entities/TL.SILENT/figures/Revenue/FY2022/history");
        var steps = history.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("value").GetProperty("value").GetString(), e.GetProperty("document").GetProperty("id").GetString()))
            .ToList();
        steps.Should().Equal(("disclosed", "900", "TL.SILENT/AR2022"), ("changed-without-restatement", "905", "TL.SILENT/AR2023"));
        history.GetProperty("entries")[1].GetProperty("delta").GetString().Should().Be("5");
        history.GetProperty("entries")[1].GetProperty("reasons").GetArrayLength().Should().Be(0, "the document gives no reason");

        var (value, _, _, figure) = await app.CurrentAsync("TL.SILENT", "Revenue", "FY2022");
        value.Should().Be("905");
        figure.GetProperty("restated").GetBoolean().Should().BeTrue("the value an analyst first saw is no longer the value");
        figure.GetProperty("original").GetProperty("value").GetString().Should().Be("900");
        figure.GetProperty("lastChangedBy").GetProperty("id").GetString().Should().Be("TL.SILENT/AR2023");

        // The figure that was restated in so many words is labelled "restated", and an unchanged one is not flagged.
        (await app.GetJsonAsync("/api/entities/TL.SILENT/figures/ProfitLoss/FY2022/history")).GetProperty("entries")[1]
            .GetProperty("kind").GetString().Should().Be("restated");
        (await app.CurrentAsync("TL.SILENT", "Revenue", "FY2023")).Figure.GetProperty("restated").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task The_history_as_of_a_date_holds_only_the_steps_known_then()
    {
        await LoadSilentChangeAsync();

        var before = await app.GetJsonAsync("/api/entities/TL.SILENT/figures/Revenue/FY2022/history?asOf=2024-03-19");
        before.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("value").GetProperty("value").GetString())
            .Should().Equal(["900"], "the 2023 report was published on 2024-03-20");
        var on = await app.GetJsonAsync("/api/entities/TL.SILENT/figures/Revenue/FY2022/history?asOf=2024-03-20");
        on.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("value").GetProperty("value").GetString()).Should().Equal("900", "905");
    }

    [Fact]
    public async Task The_current_figure_list_as_of_a_date_gives_the_values_known_then()
    {
        await LoadSilentChangeAsync();

        async Task<Dictionary<string, string?>> ListAsync(string query) =>
            (await app.GetJsonAsync($"/api/entities/TL.SILENT/figures?period=FY2022{query}")).GetProperty("figures").EnumerateArray()
                .ToDictionary(f => f.GetProperty("concept").GetString()!, f => f.GetProperty("current").GetProperty("value").GetString());

        (await ListAsync("")).Should().BeEquivalentTo(new Dictionary<string, string?> { ["Revenue"] = "905", ["ProfitLoss"] = "45" });
        (await ListAsync("&asOf=2024-03-19")).Should().BeEquivalentTo(new Dictionary<string, string?> { ["Revenue"] = "900", ["ProfitLoss"] = "50" });
        (await ListAsync("&asOf=2023-03-19")).Should().BeEmpty("nothing about FY2022 was published before 2023-03-20");
    }

    /// <summary>
    /// TL.CITED: only the 2023 report (2024-03-20) is loaded; it restates FY2022 profit 50 → 45 and cites the 50 as
    /// reported by AR2022, whose date the ledger does not know.
    /// </summary>
    private async Task LoadCitedOnlyAsync()
    {
        var ar2023 = MadeUp.Package("TL.CITED", "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        ar2023["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = "TL.CITED/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022", ["publishedOn"] = null });
        ar2023["restatements"] = new JsonArray(MadeUp.Restatement("ProfitLoss", "FY2022", "50", "45", "TL.CITED/AR2022"));
        var response = await app.PostPackageAsync(ar2023.Json());
        response.StatusCode.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.OK], await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_value_of_a_document_of_unknown_date_is_known_from_the_end_of_its_period_and_says_so()
    {
        await LoadCitedOnlyAsync();

        // Before FY2022 ended nobody could have reported it.
        var tooEarly = await app.Client.GetAsync("/api/entities/TL.CITED/figures/ProfitLoss/FY2022?asOf=2022-12-30");
        tooEarly.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.GetJsonAsync("/api/entities/TL.CITED/figures?view=as-reported&asOf=2022-12-30")).GetProperty("figures").GetArrayLength().Should().Be(0);

        // From the period's end, the cited value; the date is flagged as unknown and bounded by the citing document.
        var (value, _, _, figure) = await app.CurrentAsync("TL.CITED", "ProfitLoss", "FY2022", extra: "asOf=2022-12-31");
        value.Should().Be("50");
        var document = figure.GetProperty("lastChangedBy");
        document.GetProperty("id").GetString().Should().Be("TL.CITED/AR2022");
        document.GetProperty("publishedOnUnknown").GetBoolean().Should().BeTrue();
        IsAbsent(document, "publishedOn").Should().BeTrue("the date is not invented");
        document.GetProperty("knownNoLaterThan").GetString().Should().Be("2024-03-20");

        (await app.CurrentAsync("TL.CITED", "ProfitLoss", "FY2022", extra: "asOf=2024-03-19")).Value.Should().Be("50");
        (await app.CurrentAsync("TL.CITED", "ProfitLoss", "FY2022", extra: "asOf=2024-03-20")).Value.Should().Be("45");

        var history = await app.GetJsonAsync("/api/entities/TL.CITED/figures/ProfitLoss/FY2022/history");
        var first = history.GetProperty("entries")[0];
        first.GetProperty("document").GetProperty("knownNoLaterThan").GetString().Should().Be("2024-03-20");
        first.GetProperty("citedBy").GetString().Should().Be("TL.CITED/AR2023");
        var asReported = (await app.GetJsonAsync("/api/entities/TL.CITED/figures?view=as-reported&document=TL.CITED/AR2022")).GetProperty("figures")[0];
        asReported.GetProperty("document").GetProperty("knownNoLaterThan").GetString().Should().Be("2024-03-20");
        asReported.GetProperty("value").GetProperty("value").GetString().Should().Be("50");
    }

    [Fact]
    public async Task A_value_printed_as_not_applicable_is_answered_as_not_applicable_without_a_number()
    {
        var package = MadeUp.Package("TL.NA", "AR2023", "2024-03-01",
            MadeUp.Fact("ProfitAttributableToOwnersExcludingNonRecurringItems", "2023Q4", "不适用"), MadeUp.Fact("Revenue", "FY2023", "10"));
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);

        var current = (await app.CurrentAsync("TL.NA", "ProfitAttributableToOwnersExcludingNonRecurringItems", "2023Q4")).Figure.GetProperty("current");
        current.GetProperty("nil").GetString().Should().Be("not-applicable");
        IsAbsent(current, "value").Should().BeTrue("there is no number to give");
        IsAbsent(current, "decimals").Should().BeTrue();
        current.GetProperty("unit").GetString().Should().Be("CNY");

        var csv = await (await app.Client.GetAsync("/api/entities/TL.NA/export?format=csv")).Content.ReadAsStringAsync();
        csv.Should().Contain(",2023Q4,2023-10-01,2023-12-31,consolidated,,,CNY,,not-applicable,false,false,current,TL.NA/AR2023,2024-03-01");
    }

    [Theory]
    // seed 002 (Kingsoft Cloud, traditional Chinese) prints revenue as 收入; the catalog's simplified label is ZWSOFT's 营业收入 (seed 004 line 237).
    [InlineData("zh-Hant", "收入")]
    [InlineData("zh-Hans", "营业收入")]
    public async Task A_statement_labels_its_lines_in_the_language_asked_for(string language, string label)
    {
        var statement = await app.GetJsonAsync($"/api/entities/3896.HK/statements/FY2024?language={language}");
        statement.GetProperty("lines").EnumerateArray()
            .First(l => l.GetProperty("figure").GetString() == "3896.HK|Revenue|FY2024|consolidated")
            .GetProperty("label").GetString().Should().Be(label);
    }

    /// <summary>Nulls are left out of responses, so "no value" is an absent or null property.</summary>
    private static bool IsAbsent(JsonElement e, string name) => !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null;
}
