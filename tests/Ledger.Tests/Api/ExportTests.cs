using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Exports;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Api;

/// <summary>Exports for other tools: xBRL-JSON that reads back into the same current view, and CSV.</summary>
[Collection(LedgerCollection.Name)]
public class ExportTests(LedgerApp app)
{
    public static readonly TheoryData<string> SeedEntities = new() { "0268.HK", "3896.HK", "0020.HK", "688083.SH" };

    [Theory]
    [MemberData(nameof(SeedEntities))]
    public async Task The_xBRL_JSON_export_reads_back_into_the_same_current_view(string entity)
    {
        var report = await app.GetJsonAsync($"/api/entities/{entity}/export?format=xbrl-json");

        report.GetProperty("documentInfo").GetProperty("documentType").GetString().Should().Be("https://xbrl.org/2021/xbrl-json");
        report.GetProperty("documentInfo").GetProperty("taxonomy")[0].GetString().Should().Be(XbrlJson.IfrsEntryPoint);
        var facts = report.GetProperty("facts").EnumerateObject().ToList();
        facts.Should().NotBeEmpty();
        foreach (var fact in facts)
        {
            var dimensions = fact.Value.GetProperty("dimensions");
            foreach (var core in new[] { "concept", "entity", "period" })
                dimensions.TryGetProperty(core, out _).Should().BeTrue($"{fact.Name} has {core}");
            // OIM: a numeric fact without a unit is pure, and an explicit xbrli:pure is illegal (oime:illegalPureUnit).
            if (dimensions.TryGetProperty("unit", out var unit)) unit.GetString().Should().NotBe("xbrli:pure");
            else
            {
                var single = new JsonObject
                {
                    ["documentInfo"] = new JsonObject { ["documentType"] = XbrlJson.DocumentType },
                    ["facts"] = new JsonObject { [fact.Name] = JsonNode.Parse(fact.Value.GetRawText()) },
                };
                XbrlJson.Read(JsonDocument.Parse(single.ToJsonString()).RootElement).Single().Value.Unit
                    .Should().Be("pure", $"{fact.Name} has no unit, so it must be a ratio");
            }
            if (fact.Value.GetProperty("value").ValueKind != JsonValueKind.Null)
                fact.Value.GetProperty("value").ValueKind.Should().Be(JsonValueKind.String, "xBRL-JSON values are strings");
        }

        var readBack = XbrlJson.Read(report).Where(f => f.Status == ExportFact.Current)
            .ToDictionary(f => f.Figure.ToString(), f => f.Value);
        var current = (await app.GetJsonAsync($"/api/entities/{entity}/figures")).GetProperty("figures").EnumerateArray()
            .ToDictionary(f => f.GetProperty("figure").GetString()!, f => f.GetProperty("current"));

        readBack.Keys.Should().BeEquivalentTo(current.Keys);
        foreach (var (figure, value) in current)
        {
            var back = readBack[figure];
            back.ValueText.Should().Be(value.TryGetProperty("value", out var v) ? v.GetString() : null, figure);
            back.Unit.Should().Be(value.GetProperty("unit").GetString(), figure);
            (back.Decimals?.ToString() ?? (back.IsNil ? null : "INF")).Should().Be(value.TryGetProperty("decimals", out var d) ? d.GetString() : null, figure);
            back.Approximate.Should().Be(value.GetProperty("approximate").GetBoolean(), figure);
            back.LowerBound.Should().Be(value.TryGetProperty("lowerBound", out var lb) && lb.GetBoolean(), figure);
        }
    }

    [Fact]
    public async Task A_restated_figure_is_exported_with_its_superseded_value_on_the_IFRS_restatement_axis()
    {
        // ZWSOFT 2023 annual report: FY2022 net profit attributable to owners 6,003,513.77 (调整后) and 6,301,756.60 (调整前).
        var report = await app.GetJsonAsync("/api/entities/688083.SH/export?format=xbrl-json");
        var netProfit = report.GetProperty("facts").EnumerateObject().Select(f => f.Value)
            .Where(f => f.GetProperty("dimensions").GetProperty("concept").GetString() == "ifrs-full:ProfitLossAttributableToOwnersOfParent"
                        && f.GetProperty("dimensions").GetProperty("period").GetString() == "2022-01-01T00:00:00/2023-01-01T00:00:00"
                        && !f.GetProperty("dimensions").TryGetProperty("ifrs-full:ConsolidatedAndSeparateFinancialStatementsAxis", out _))
            .ToList();

        netProfit.Should().HaveCount(2);
        netProfit.Single(f => !f.GetProperty("dimensions").TryGetProperty("ifrs-full:RetrospectiveApplicationAndRetrospectiveRestatementAxis", out _))
            .GetProperty("value").GetString().Should().Be("6003513.77");
        netProfit.Single(f => f.GetProperty("dimensions").TryGetProperty("ifrs-full:RetrospectiveApplicationAndRetrospectiveRestatementAxis", out var m)
                              && m.GetString() == "ifrs-full:PreviouslyStatedMember")
            .GetProperty("value").GetString().Should().Be("6301756.6");
    }

    [Fact]
    public async Task The_as_reported_export_names_each_facts_document_and_asOf_leaves_out_later_documents()
    {
        var all = XbrlJson.Read(await app.GetJsonAsync("/api/entities/688083.SH/export?view=as-reported"));
        all.Should().OnlyContain(f => f.Status == ExportFact.AsReported && f.DocumentId != null);
        all.Select(f => f.DocumentId).Should().Contain("688083.SH/AR2023");

        var before = XbrlJson.Read(await app.GetJsonAsync("/api/entities/688083.SH/export?view=as-reported&asOf=2024-04-25"));
        before.Select(f => f.DocumentId).Should().NotContain("688083.SH/AR2023", "the 2023 annual report was published on 2024-04-26");
    }

    [Fact]
    public async Task The_CSV_export_has_a_header_row_and_one_fact_per_line()
    {
        var response = await app.Client.GetAsync("/api/entities/688083.SH/export?format=csv");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        lines[0].Should().Be(string.Join(',', Csv.Header));
        var facts = XbrlJson.Read(await app.GetJsonAsync("/api/entities/688083.SH/export?format=xbrl-json"));
        lines.Should().HaveCount(facts.Count + 1);
        lines.Should().Contain(l => l.StartsWith("688083.SH,ProfitLossAttributableToOwnersOfParent,ifrs-full:ProfitLossAttributableToOwnersOfParent,", StringComparison.Ordinal)
                                    && l.Contains(",FY2022,2022-01-01,2022-12-31,consolidated,,6003513.77,CNY,2,,false,false,current,688083.SH/AR2023,2024-04-26", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("format=pdf", "format")]
    [InlineData("view=forecast", "view")]
    [InlineData("asOf=2024-13-01", "asOf")]
    public async Task A_bad_export_parameter_is_a_400_naming_it(string query, string field)
    {
        var response = await app.Client.GetAsync($"/api/entities/688083.SH/export?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await LedgerApp.JsonOf(response)).GetProperty("errors")[0].GetProperty("path").GetString().Should().Be(field);
    }
}
