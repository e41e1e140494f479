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
        var unitless = new HashSet<string>();
        foreach (var fact in facts)
        {
            var dimensions = fact.Value.GetProperty("dimensions");
            foreach (var core in new[] { "concept", "entity", "period" })
                dimensions.TryGetProperty(core, out _).Should().BeTrue($"{fact.Name} has {core}");
            // OIM: a numeric fact without a unit is pure, and an explicit xbrli:pure is illegal (oime:illegalPureUnit).
            if (dimensions.TryGetProperty("unit", out var unit)) unit.GetString().Should().MatchRegex(@"^(iso4217:[A-Z]{3}(/xbrli:shares)?|xbrli:shares|ledger:count)$");
            else unitless.Add(dimensions.GetProperty("concept").GetString()!.Split(':')[1]);
            if (fact.Value.GetProperty("value").ValueKind != JsonValueKind.Null)
                fact.Value.GetProperty("value").ValueKind.Should().Be(JsonValueKind.String, "xBRL-JSON values are strings");
        }

        // OIM: a numeric fact without a unit is pure; only ratio concepts may be written so (checked against the catalog file).
        var ratios = JsonNode.Parse(File.ReadAllText(Repository.File("src", "Ledger.Domain", "Concepts", "concepts.json")))!.AsArray()
            .Where(c => c!["dataType"]!.GetValue<string>() == "ratio").Select(c => c!["id"]!.GetValue<string>()).ToHashSet();
        unitless.Should().BeSubsetOf(ratios);

        var readBack = XbrlJson.Read(report).Where(f => f.Status == ExportFact.Current)
            .ToDictionary(f => f.Figure.ToString(), f => f.Value);
        // every figure on one page (SenseTime's and ZWSOFT's packages now state over a thousand, the default page)
        var list = await app.GetJsonAsync($"/api/entities/{entity}/figures?limit=5000");
        (list.TryGetProperty("nextCursor", out var next) ? next.ValueKind : JsonValueKind.Null).Should().Be(JsonValueKind.Null, "the whole list is on the page");
        var current = list.GetProperty("figures").EnumerateArray()
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

        lines[0].Should().Be("entity,concept,element,label,period,period_start,period_end,scope,dimensions,value,unit,decimals,nil,approximate,lower_bound,status,document,published_on");
        // One line per fact of the xBRL-JSON export of the same view (parsed here as plain JSON, not by the ledger's reader).
        var facts = (await app.GetJsonAsync("/api/entities/688083.SH/export?format=xbrl-json")).GetProperty("facts").EnumerateObject().Count();
        lines.Should().HaveCount(facts + 1);
        lines.Should().Contain(l => l.StartsWith("688083.SH,ProfitLossAttributableToOwnersOfParent,ifrs-full:ProfitLossAttributableToOwnersOfParent,", StringComparison.Ordinal)
                                    && l.Contains(",FY2022,2022-01-01,2022-12-31,consolidated,,6003513.77,CNY,2,,false,false,current,688083.SH/AR2023,2024-04-26", StringComparison.Ordinal));
    }

    [Theory]
    // seed 002 line 104: 淨虧損 (1,979,042), RMB thousands
    [InlineData("3896.HK", "ifrs-full:ProfitLoss", "2024-01-01T00:00:00/2025-01-01T00:00:00", "-1979042000", "iso4217:CNY", -3)]
    // seed 000 line 18: 收入約人民幣 56.79 億元
    [InlineData("0268.HK", "ifrs-full:Revenue", "2023-01-01T00:00:00/2024-01-01T00:00:00", "5679000000", "iso4217:CNY", -6)]
    // seed 003 line 38: 收入 3,405,842 (RMB thousands)
    [InlineData("0020.HK", "ifrs-full:Revenue", "2023-01-01T00:00:00/2024-01-01T00:00:00", "3405842000", "iso4217:CNY", -3)]
    // seed 004 line 240: 归属于上市公司股东的扣除非经常性损益的净利润 -77,740,166.42 (an extension concept: no IFRS element)
    [InlineData("688083.SH", "ledger:ProfitAttributableToOwnersExcludingNonRecurringItems", "2023-01-01T00:00:00/2024-01-01T00:00:00", "-77740166.42", "iso4217:CNY", 2)]
    public async Task Each_seed_entity_exports_its_figures_as_its_document_prints_them(string entity, string concept, string period, string value, string unit, int decimals)
    {
        var report = await app.GetJsonAsync($"/api/entities/{entity}/export?format=xbrl-json");
        var fact = report.GetProperty("facts").EnumerateObject().Select(f => f.Value).Single(f =>
        {
            var d = f.GetProperty("dimensions");
            return d.GetProperty("concept").GetString() == concept && d.GetProperty("period").GetString() == period
                   && d.EnumerateObject().All(p => p.Name is "concept" or "entity" or "period" or "unit");
        });
        fact.GetProperty("value").GetString().Should().Be(value);
        fact.GetProperty("decimals").GetInt32().Should().Be(decimals);
        fact.GetProperty("dimensions").GetProperty("unit").GetString().Should().Be(unit);
        fact.GetProperty("dimensions").GetProperty("entity").GetString().Should().Be($"ticker:{entity}");
    }

    [Fact]
    public async Task A_parent_only_figure_is_exported_on_the_IFRS_separate_statements_axis()
    {
        // seed 004 line 3937 (母公司资产负债表): 盈余公积 38,688,276.15 at 2023-12-31; the consolidated one (line 3844) prints the same.
        var facts = (await app.GetJsonAsync("/api/entities/688083.SH/export?format=xbrl-json")).GetProperty("facts").EnumerateObject()
            .Select(f => f.Value.GetProperty("dimensions"))
            .Where(d => d.GetProperty("concept").GetString() == "ledger:StatutorySurplusReserve" && d.GetProperty("period").GetString() == "2024-01-01T00:00:00")
            // the balance itself, not the note's breakdown of it (法定盈余公积, line 7632, ledger:item=statutory-surplus-reserve)
            .Where(d => !d.EnumerateObject().Any(p => p.Name.StartsWith("ledger:", StringComparison.Ordinal)))
            .ToList();
        facts.Should().HaveCount(2);
        facts.Count(d => d.TryGetProperty("ifrs-full:ConsolidatedAndSeparateFinancialStatementsAxis", out var m) && m.GetString() == "ifrs-full:SeparateMember")
            .Should().Be(1);

        var parent = await app.GetJsonAsync("/api/entities/688083.SH/figures/StatutorySurplusReserve/2023-12-31?scope=parent");
        parent.GetProperty("scope").GetString().Should().Be("parent");
        parent.GetProperty("current").GetProperty("value").GetString().Should().Be("38688276.15");
        // seed 004 line 3860 (母公司): 货币资金 416,980,964.73; the consolidated balance differs.
        (await app.GetJsonAsync("/api/entities/688083.SH/figures/CashAndBankBalances/2023-12-31?scope=parent"))
            .GetProperty("current").GetProperty("value").GetString().Should().Be("416980964.73");
    }

    [Fact]
    public async Task The_current_export_as_of_a_date_gives_the_values_known_then()
    {
        // seed 004 line 239: FY2022 net profit attributable 6,301,756.60 as the 2022 report stated it (调整前), known before
        // the 2023 report of 2024-04-26 restated it to 6,003,513.77.
        static List<JsonElement> NetProfit2022(JsonElement report) => report.GetProperty("facts").EnumerateObject().Select(f => f.Value)
            .Where(f => f.GetProperty("dimensions").GetProperty("concept").GetString() == "ifrs-full:ProfitLossAttributableToOwnersOfParent"
                        && f.GetProperty("dimensions").GetProperty("period").GetString() == "2022-01-01T00:00:00/2023-01-01T00:00:00"
                        && !f.GetProperty("dimensions").TryGetProperty("ifrs-full:ConsolidatedAndSeparateFinancialStatementsAxis", out _))
            .ToList();

        var before = NetProfit2022(await app.GetJsonAsync("/api/entities/688083.SH/export?format=xbrl-json&asOf=2024-04-25"));
        before.Should().ContainSingle("nothing had restated it yet").Which.GetProperty("value").GetString().Should().Be("6301756.6");
        NetProfit2022(await app.GetJsonAsync("/api/entities/688083.SH/export?format=xbrl-json&asOf=2024-04-26"))
            .Select(f => f.GetProperty("value").GetString()).Should().BeEquivalentTo(["6003513.77", "6301756.6"]);

        var csv = await (await app.Client.GetAsync("/api/entities/688083.SH/export?format=csv&asOf=2024-04-25")).Content.ReadAsStringAsync();
        csv.Split("\r\n").Where(l => l.StartsWith("688083.SH,ProfitLossAttributableToOwnersOfParent,", StringComparison.Ordinal) && l.Contains(",FY2022,", StringComparison.Ordinal)
                                      && l.Contains(",consolidated,", StringComparison.Ordinal))
            .Should().ContainSingle().Which.Should().Contain(",6301756.6,CNY,2,,false,false,current,688083.SH/AR2022,");
    }

    [Fact]
    public async Task A_made_up_entity_exports_exactly_the_facts_written_here()
    {
        const string entity = "EXP.A";
        var ar2022 = MadeUp.Package(entity, "AR2022", "2023-03-20", MadeUp.Fact("Revenue", "FY2022", "900"), Parent(MadeUp.Fact("Assets", "2022-12-31", "5,000.5")));
        var growth = MadeUp.Fact("YearOnYearChange", "FY2023", "5.3%", unit: "pure", scale: "percent");
        growth["dims"] = new JsonObject { ["measure"] = "Revenue" };
        var ar2023 = MadeUp.Package(entity, "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000", scale: "thousands"), growth);
        ar2023["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = $"{entity}/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022" });
        ar2023["restatements"] = new JsonArray(MadeUp.Restatement("Revenue", "FY2022", "900", "950", $"{entity}/AR2022"));
        foreach (var p in new[] { ar2022, ar2023 }) (await app.PostPackageAsync(p.Json())).StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);

        var report = await app.GetJsonAsync($"/api/entities/{entity}/export?format=xbrl-json");
        report.GetProperty("documentInfo").GetProperty("namespaces").GetProperty("ledger").GetString().Should().Be("urn:ledger:concepts");
        var facts = report.GetProperty("facts").EnumerateObject().Select(f =>
        {
            var dims = f.Value.GetProperty("dimensions").EnumerateObject().Where(d => d.Name is not ("entity"))
                .Select(d => $"{d.Name}={d.Value.GetString()}");
            return $"{f.Value.GetProperty("value").GetString()} d={(f.Value.TryGetProperty("decimals", out var d) ? d.GetInt32().ToString() : "-")} {string.Join(" ", dims)}";
        });
        facts.Should().BeEquivalentTo(
        [
            "5000.5 d=1 concept=ifrs-full:Assets period=2023-01-01T00:00:00 unit=iso4217:CNY ifrs-full:ConsolidatedAndSeparateFinancialStatementsAxis=ifrs-full:SeparateMember",
            "950 d=0 concept=ifrs-full:Revenue period=2022-01-01T00:00:00/2023-01-01T00:00:00 unit=iso4217:CNY",
            "900 d=0 concept=ifrs-full:Revenue period=2022-01-01T00:00:00/2023-01-01T00:00:00 unit=iso4217:CNY ifrs-full:RetrospectiveApplicationAndRetrospectiveRestatementAxis=ifrs-full:PreviouslyStatedMember",
            "1000000 d=-3 concept=ifrs-full:Revenue period=2023-01-01T00:00:00/2024-01-01T00:00:00 unit=iso4217:CNY",
            "0.053 d=3 concept=ledger:YearOnYearChange period=2023-01-01T00:00:00/2024-01-01T00:00:00 ledger:measure=Revenue",
        ]);

        var csv = await (await app.Client.GetAsync($"/api/entities/{entity}/export?format=csv&language=zh-Hant")).Content.ReadAsStringAsync();
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Should().BeEquivalentTo(
        [
            "EXP.A,Assets,ifrs-full:Assets,資產總額,2022-12-31,2022-12-31,2022-12-31,parent,,5000.5,CNY,1,,false,false,current,EXP.A/AR2022,2023-03-20",
            "EXP.A,Revenue,ifrs-full:Revenue,收入,FY2022,2022-01-01,2022-12-31,consolidated,,950,CNY,0,,false,false,current,EXP.A/AR2023,2024-03-20",
            "EXP.A,Revenue,ifrs-full:Revenue,收入,FY2022,2022-01-01,2022-12-31,consolidated,,900,CNY,0,,false,false,previously-stated,EXP.A/AR2022,2023-03-20",
            "EXP.A,Revenue,ifrs-full:Revenue,收入,FY2023,2023-01-01,2023-12-31,consolidated,,1000000,CNY,-3,,false,false,current,EXP.A/AR2023,2024-03-20",
            "EXP.A,YearOnYearChange,ledger:YearOnYearChange,同比增長,FY2023,2023-01-01,2023-12-31,consolidated,measure=Revenue,0.053,pure,3,,false,false,current,EXP.A/AR2023,2024-03-20",
        ]);
    }

    private static JsonObject Parent(JsonObject fact)
    {
        fact["scope"] = "parent";
        return fact;
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
