using System.Text.Json;
using System.Net;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

[Collection(LedgerCollection.Name)]
public class CheckTests(LedgerApp app)
{
    [Fact]
    public async Task Over_the_seed_dataset_only_the_documents_own_inconsistencies_are_listed()
    {
        var checks = await app.GetJsonAsync("/api/checks");
        var inconsistent = checks.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("verdict").GetString() == "inconsistent")
            .Where(f => new[] { "0020.HK", "0268.HK", "3896.HK", "688083.SH" }.Contains(f.GetProperty("entity").GetString()))
            .Select(f => (f.GetProperty("kind").GetString(), f.GetProperty("subject").GetString()))
            .ToList();

        inconsistent.Should().BeEquivalentTo(new (string, string)[]
        {
            // seed 003 line 715 prints 629.7 (millions) where note 11, line 2057, prints 629,753 (thousands)
            ("duplicate", "0020.HK|TradeReceivablesGross|2022-12-31|consolidated|ageing=over-3-years"),
            // seed 003 line 472: traditional AI 1,838.4 of 3,405.8 is 53.98%; printed 53.9 so that the shares add to 100.0
            ("ratio", "0020.HK|ProportionOfRevenue|FY2023|consolidated|measure=Revenue;segment=traditional-ai"),
            // seed 002: other revenue 152 thousand (line 518) against 人民幣0.1百萬元 (line 304)
            ("duplicate", "3896.HK|Revenue|FY2024|consolidated|segment=other"),
            // (seed 004's 2021 year-end equity, 2,812,356,703.50 on line 244 beside the restated 2,812,729,032.18, is no longer
            // listed: the unadjusted column is recorded as the 2022 report's value cited by the 2023 one, not as a second 2023 value.)
            // seed 004 lines 5421-5427: the 2023-12-31 effect 205,566.29 is not 74,085.85 + 69,995.26
            ("policy-change-identity", "CAS-INTERP-16: equity-rolls-forward FY2023 consolidated"),
            // seed 004 line 6598: the long-term equity investments note's 权益法下确认的投资损益 column totals -1,697,636.67
            // (it takes the -1,000,000.00 of 重庆图增, line 6596), where the income statement (line 3972) and the investment
            // income note (line 7874) print -693,637.70 (the parent's note, line 9782, -697,636.67, leaves 重庆图增 out)
            ("duplicate", "688083.SH|ShareOfProfitLossOfAssociatesAndJointVenturesAccountedForUsingEquityMethod|FY2023|consolidated"),
            // seed 004 lines 1276-1277 print the 2023 increases of custom software and technical services revenue as 5,265.29
            // and 2,167.18 (万元); the amounts beside them give 6,370.93 - 1,105.63 = 5,265.30 and 3,393.63 - 1,226.46 = 2,167.17,
            // which lines 390-391 print
            ("duplicate", "688083.SH|IncreaseDecreaseInRevenue|FY2023|consolidated|product-type=custom-software"),
            ("duplicate", "688083.SH|IncreaseDecreaseInRevenue|FY2023|consolidated|product-type=technical-services"),
        });
    }

    [Fact]
    public async Task A_growth_rate_is_checked_against_the_values_printed_beside_it()
    {
        // seed 003 lines 497-498: cost of sales grew 50.5% from 1,266.2 to 1,905.1 (RMB millions): 1,905.1 / 1,266.2 = 1.5046,
        // and the rate agrees with the values it is printed beside (the thousands of line 408 give 1.50449, which is 50.4%).
        var findings = (await app.GetJsonAsync("/api/checks?entity=0020.HK")).GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("subject").GetString()).ToList();
        findings.Should().Contain("0020.HK|ProportionOfRevenue|FY2023|consolidated|measure=Revenue;segment=traditional-ai", "the entity's real findings are listed");
        findings.Should().NotContain("0020.HK|YearOnYearChange|FY2023|consolidated|measure=CostOfSales");

        // The same two values beside 50.6% (made up): 1,905.15 / 1,266.15 = 1.50468 at most, so that rate cannot come from them.
        async Task<List<JsonElement>> FindingsFor(string entity, string rate)
        {
            var growth = MadeUp.Fact("YearOnYearChange", "FY2023", rate, unit: "pure", scale: "percent");
            growth["dims"] = new JsonObject { ["measure"] = "CostOfSales" };
            var package = MadeUp.Package(entity, "AR2023", "2024-03-01",
                MadeUp.Fact("CostOfSales", "FY2023", "1,905.1", scale: "millions"), MadeUp.Fact("CostOfSales", "FY2022", "1,266.2", scale: "millions"), growth);
            (await app.PostPackageAsync(package.Json())).StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
            return (await app.GetJsonAsync($"/api/checks?entity={entity}")).GetProperty("findings").EnumerateArray().ToList();
        }
        (await FindingsFor("CHK.RATE1", "50.5%")).Should().BeEmpty();
        var wrong = (await FindingsFor("CHK.RATE2", "50.6%")).Should().ContainSingle().Subject;
        wrong.GetProperty("subject").GetString().Should().Be("CHK.RATE2|YearOnYearChange|FY2023|consolidated|measure=CostOfSales");
        wrong.GetProperty("verdict").GetString().Should().Be("inconsistent");
    }

    [Fact]
    public async Task A_growth_rate_without_its_prior_year_value_reports_the_interval_it_implies()
    {
        var checks = await app.GetJsonAsync("/api/checks?entity=0268.HK");
        var revenueGrowth = checks.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("subject").GetString() == "0268.HK|YearOnYearChange|FY2023|consolidated|measure=Revenue");
        revenueGrowth.GetProperty("verdict").GetString().Should().Be("indeterminate");
        // 約56.79億 (±0.005億) at 約16.7% (±0.05%), seed 000 line 18: 2022 revenue lay between 5,678.5/1.1675 and 5,679.5/1.1665 百萬
        revenueGrowth.GetProperty("detail").GetString().Should().Contain("[4863811563, 4868838405]");
    }

    [Fact]
    public async Task A_year_on_year_change_of_a_balance_compares_the_two_closing_balances()
    {
        // Kingsoft Cloud (seed 002, package 3896.HK-PR2024, lines 365-367): cash of 人民幣2,648.8百萬元 at 31 December 2024 and
        // 2,255.3百萬元 a year before, "增加17.4%" (the table at line 576: 2,255,287 and 2,648,764 thousand): 1.1745.
        var findings = (await app.GetJsonAsync("/api/checks?entity=3896.HK")).GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("subject").GetString()).ToList();
        findings.Should().NotContain("3896.HK|YearOnYearChange|FY2024|consolidated|measure=CashAndCashEquivalents",
            "the change is checked against the closing balances of 2024 and 2023, which the ledger holds");

        var wrong = MadeUp.Package("CHK.CASH", "AR2023", "2024-03-01",
            MadeUp.Fact("CashAndCashEquivalents", "2023-12-31", "110"), MadeUp.Fact("CashAndCashEquivalents", "2022-12-31", "100"),
            CashGrowth("12.0%"));
        (await app.PostPackageAsync(wrong.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        var finding = (await app.GetJsonAsync("/api/checks?entity=CHK.CASH")).GetProperty("findings").EnumerateArray().Single();
        finding.GetProperty("kind").GetString().Should().Be("growth-rate");
        finding.GetProperty("verdict").GetString().Should().Be("inconsistent", "110 against 100 is 10.0%, not 12.0%");

        static JsonObject CashGrowth(string rate)
        {
            var growth = MadeUp.Fact("YearOnYearChange", "FY2023", rate, unit: "pure", scale: "percent");
            growth["dims"] = new JsonObject { ["measure"] = "CashAndCashEquivalents" };
            return growth;
        }
    }

    [Fact]
    public async Task A_consistent_entity_has_no_findings_and_a_wrong_growth_rate_is_found()
    {
        var ok = MadeUp.Package("CHK.A", "AR2023", "2024-03-01",
            MadeUp.Fact("Revenue", "FY2023", "110"), MadeUp.Fact("Revenue", "FY2022", "100"),
            Growth("10.0%"));
        (await app.PostPackageAsync(ok.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        (await app.GetJsonAsync("/api/checks?entity=CHK.A")).GetProperty("count").GetInt32().Should().Be(0);

        var wrong = MadeUp.Package("CHK.B", "AR2023", "2024-03-01",
            MadeUp.Fact("Revenue", "FY2023", "110"), MadeUp.Fact("Revenue", "FY2022", "100"),
            Growth("12.0%"));
        (await app.PostPackageAsync(wrong.Json())).StatusCode.Should().Be(HttpStatusCode.Created, "a check never blocks recording");
        var finding = (await app.GetJsonAsync("/api/checks?entity=CHK.B")).GetProperty("findings").EnumerateArray().Single();
        finding.GetProperty("kind").GetString().Should().Be("growth-rate");
        finding.GetProperty("verdict").GetString().Should().Be("inconsistent");
    }

    [Fact]
    public async Task ZWSOFT_2022_EPS_restatement_keeps_both_causes()
    {
        // seed 004 line 251: 0.07 → 0.05, after the 2023 10-for-4 capital-reserve conversion and Interpretation No. 16
        var history = await app.GetJsonAsync("/api/entities/688083.SH/figures/BasicEarningsLossPerShare/FY2022/history");
        var reasons = history.GetProperty("entries").EnumerateArray().Last().GetProperty("reasons").EnumerateArray()
            .Select(r => r.GetProperty("kind").GetString()).ToList();
        reasons.Should().BeEquivalentTo(["share-capitalisation", "policy-change"]);
    }

    [Fact]
    public async Task Checks_for_an_unknown_entity_are_404() =>
        (await app.Client.GetAsync("/api/checks?entity=NOPE.XX")).StatusCode.Should().Be(HttpStatusCode.NotFound);

    private static JsonObject Growth(string printed)
    {
        var fact = MadeUp.Fact("YearOnYearChange", "FY2023", printed, unit: "pure", scale: "percent");
        fact["dims"] = new JsonObject { ["measure"] = "Revenue" };
        return fact;
    }
}

[Collection(LedgerCollection.Name)]
public class DeclaredCalculationAndSignTests(LedgerApp app)
{
    /// <summary>The SenseTime seed under another entity id, so that it loads beside the real one.</summary>
    private static JsonObject SenseTimeAs(string entity, bool asBeforeTheSignFix)
    {
        var package = JsonNode.Parse(File.ReadAllText(Repository.File("data", "seeds", "0020.HK-AR2023.json")))!.AsObject();
        package["document"]!["id"] = $"{entity}/AR2023";
        package["document"]!["entity"] = entity;
        package["entities"]![0]!["id"] = entity;
        if (asBeforeTheSignFix)
        {
            // As the package was before: the tax-rate reconciliation items (seed 003 lines 1692-1712) and the receivable
            // allowances (lines 691, 1966) with the page's signs.
            var facts = package["facts"]!.AsArray();
            foreach (var i in Enumerable.Range(508, 20).Where(i => i != 512).Concat([392, 393, 546, 547]))
                facts[i]!.AsObject().Remove("negated").Should().BeTrue($"$.facts[{i}] is negated in the fixed seed");
        }
        return package;
    }

    private async Task<List<(string? Kind, string? Subject)>> FindingsOf(string entity, JsonObject package)
    {
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
        return (await app.GetJsonAsync($"/api/checks?entity={entity}")).GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("kind").GetString() is "calculation" or "sign")
            .Select(f => (f.GetProperty("kind").GetString(), f.GetProperty("subject").GetString())).ToList();
    }

    [Fact]
    public async Task The_SenseTime_package_before_the_sign_fix_trips_both_checks_and_passes_after()
    {
        (await FindingsOf("CHK.STB", SenseTimeAs("CHK.STB", asBeforeTheSignFix: true))).Should().BeEquivalentTo(new (string, string)[]
        {
            // the items add to +9,492 / +239,822 against an income tax of -9,492 / -239,822 (line 1714)
            ("calculation", "CHK.STB|IncomeTaxExpenseContinuingOperations|FY2023|consolidated"),
            ("calculation", "CHK.STB|IncomeTaxExpenseContinuingOperations|FY2022|consolidated"),
            // the receivables note's own arithmetic, declared since (line 1968: 3,720,627 = 7,912,019 − 4,191,392, and
            // 5,217,762 = 7,796,278 − 2,578,516) holds only with the allowance positive
            ("calculation", "CHK.STB|CurrentTradeReceivables|2023-12-31|consolidated"),
            ("calculation", "CHK.STB|CurrentTradeReceivables|2022-12-31|consolidated"),
            // and the allowance as the sum of its individually and collectively assessed parts (lines 2081, 2096; 2109, 2124)
            ("calculation", "CHK.STB|AllowanceForImpairmentOfTradeReceivables|2023-12-31|consolidated"),
            ("calculation", "CHK.STB|AllowanceForImpairmentOfTradeReceivables|2022-12-31|consolidated"),
            // (4,191.4) / (2,578.5) millions (line 691) and (4,191,392) / (2,578,516) thousands (line 1966): each statement
            // kept negative on a credit-balance allowance
            ("sign", "CHK.STB|AllowanceForImpairmentOfTradeReceivables|2023-12-31|consolidated"),
            ("sign", "CHK.STB|AllowanceForImpairmentOfTradeReceivables|2023-12-31|consolidated"),
            ("sign", "CHK.STB|AllowanceForImpairmentOfTradeReceivables|2022-12-31|consolidated"),
            ("sign", "CHK.STB|AllowanceForImpairmentOfTradeReceivables|2022-12-31|consolidated"),
        });
        (await FindingsOf("CHK.STA", SenseTimeAs("CHK.STA", asBeforeTheSignFix: false))).Should().BeEmpty();
    }

    [Fact]
    public async Task The_seed_packages_declare_their_totals_and_every_one_holds()
    {
        var seeds = new[] { "0020.HK", "3896.HK", "688083.SH" };
        foreach (var entity in seeds)
        {
            var findings = (await app.GetJsonAsync($"/api/checks?entity={entity}")).GetProperty("findings").EnumerateArray()
                .Where(f => f.GetProperty("kind").GetString() is "calculation" or "sign").Select(f => f.GetProperty("detail").GetString());
            findings.Should().BeEmpty();
        }
        // A made-up break: ZWSOFT's 2023 total assets (seed 004 line 3794, 3,282,108,984.46) five cents off its two subtotals (a cent would be within rounding).
        var broken = MadeUp.Package("CHK.CALC", "AR2023", "2024-03-01",
            MadeUp.Fact("CurrentAssets", "2023-12-31", "2,398,404,425.09"), MadeUp.Fact("NoncurrentAssets", "2023-12-31", "883,704,559.37"),
            MadeUp.Fact("Assets", "2023-12-31", "3,282,108,984.51"));
        broken["calculations"] = new JsonArray(new JsonObject
        {
            ["total"] = "Assets",
            ["members"] = new JsonArray(new JsonObject { ["concept"] = "CurrentAssets" }, new JsonObject { ["concept"] = "NoncurrentAssets", ["weight"] = 1 }),
        });
        var finding = (await FindingsOf("CHK.CALC", broken)).Should().ContainSingle().Subject;
        finding.Should().Be(("calculation", "CHK.CALC|Assets|2023-12-31|consolidated"));

        // Counts add too: ZWSOFT's employees by function (seed 004 lines 1930-1935: 6 + 828 + 1,151 + 30 + 103 = 2,118),
        // with the total printed one off: counts are whole numbers, so a count printed without decimals is exact, not ±0.5.
        var people = MadeUp.Package("CHK.COUNT", "AR2023", "2024-03-01",
            [.. new[] { ("production", "6"), ("sales", "828"), ("technical", "1,151"), ("finance", "30"), ("administrative", "103") }.Select(f =>
            {
                var fact = MadeUp.Fact("NumberOfEmployees", "2023-12-31", f.Item2, unit: "count");
                fact["dims"] = new JsonObject { ["function"] = f.Item1 };
                return fact;
            }), MadeUp.Fact("NumberOfEmployees", "2023-12-31", "2,119", unit: "count")]);
        people["calculations"] = new JsonArray(new JsonObject
        {
            ["total"] = "NumberOfEmployees",
            ["members"] = new JsonArray([.. new[] { "production", "sales", "technical", "finance", "administrative" }
                .Select(f => (JsonNode)new JsonObject { ["concept"] = "NumberOfEmployees", ["dims"] = new JsonObject { ["function"] = f } })]),
        });
        (await FindingsOf("CHK.COUNT", people)).Should().ContainSingle().Which.Should().Be(("calculation", "CHK.COUNT|NumberOfEmployees|2023-12-31|consolidated"));
    }
}
