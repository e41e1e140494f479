using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Seeds;

/// <summary>
/// ZWSOFT 2023 annual report (seeds/004_766bdfec5c6b5b43.txt), CAS, yuan to the cent, published
/// 2024-04-26. Its 2022 columns are 调整后 (restated for Interpretation No. 16) and 调整前 (as the
/// 2022 annual report, date unknown, printed them).
/// </summary>
[Collection(LedgerCollection.Name)]
public class ZwsoftSeedTests(LedgerApp app)
{
    private const string Zwsoft = "688083.SH";

    [Theory]
    // line 237: 营业收入 827,590,280.49 | 600,977,013.34 | 600,977,013.34 | 37.71 | 618,680,713.15
    [InlineData("Revenue", "FY2023", "827590280.49", "CNY", "2")]
    [InlineData("Revenue", "FY2022", "600977013.34", "CNY", "2")]
    [InlineData("Revenue", "FY2021", "618680713.15", "CNY", "2")]
    // line 239: 归属于上市公司股东的净利润 61,406,393.21 | 6,003,513.77 | 6,301,756.60
    [InlineData("ProfitLossAttributableToOwnersOfParent", "FY2023", "61406393.21", "CNY", "2")]
    [InlineData("ProfitLossAttributableToOwnersOfParent", "FY2022", "6003513.77", "CNY", "2")]
    // line 240: 扣除非经常性损益的净利润 -77,740,166.42 | -67,711,608.80 | -67,413,365.97 — negative
    [InlineData("ProfitAttributableToOwnersExcludingNonRecurringItems", "FY2023", "-77740166.42", "CNY", "2")]
    [InlineData("ProfitAttributableToOwnersExcludingNonRecurringItems", "FY2022", "-67711608.8", "CNY", "2")]
    // line 244: 归属于上市公司股东的净资产 2,682,817,461.92 | 2,710,622,992.54 | 2,710,548,906.69
    [InlineData("EquityAttributableToOwnersOfParent", "2022-12-31", "2710622992.54", "CNY", "2")]
    // line 245: 总资产 3,282,108,984.46 | 3,139,051,261.84 | 3,135,572,946.18
    [InlineData("Assets", "2023-12-31", "3282108984.46", "CNY", "2")]
    // line 251: 基本每股收益(元/股) 0.51 | 0.05 | 0.07 — per share
    [InlineData("BasicEarningsLossPerShare", "FY2023", "0.51", "CNY/share", "2")]
    [InlineData("BasicEarningsLossPerShare", "FY2022", "0.05", "CNY/share", "2")]
    // line 5432: 递延所得税资产 9,355,673.66 | 3,478,315.66 | 12,833,989.32 (2022-12-31)
    [InlineData("DeferredTaxAssets", "2022-12-31", "12833989.32", "CNY", "2")]
    public async Task Figures_match_the_report(string concept, string period, string value, string unit, string decimals)
    {
        var (v, u, d, _) = await app.CurrentAsync(Zwsoft, concept, period);
        (v, u, d).Should().Be((value, unit, decimals));
    }

    [Fact]
    public async Task Diluted_EPS_is_printed_as_a_dash_and_kept_as_nil()
    {
        // line 252: 稀释每股收益(元/股) - - - - -
        var (v, _, _, figure) = await app.CurrentAsync(Zwsoft, "DilutedEarningsLossPerShare", "FY2023");
        v.Should().BeNull();
        figure.GetProperty("current").GetProperty("nil").GetString().Should().Be("nil");
    }

    [Fact]
    public async Task A_ratio_is_stored_as_a_pure_number()
    {
        // line 255: 加权平均净资产收益率(%) 2.26
        var (v, u, d, _) = await app.CurrentAsync(Zwsoft, "ReturnOnEquityWeightedAverage", "FY2023");
        (v, u, d).Should().Be(("0.0226", "pure", "4"));
    }

    [Fact]
    public async Task The_2022_net_profit_attributable_keeps_both_columns_and_the_restatement_between_them()
    {
        // line 239: 调整后 6,003,513.77, 调整前 6,301,756.60; Δ −298,242.83 is the FY2022 净利润 adjustment of line 5438.
        var history = await app.GetJsonAsync($"/api/entities/{Zwsoft}/figures/ProfitLossAttributableToOwnersOfParent/FY2022/history");
        var entries = history.GetProperty("entries").EnumerateArray().ToList();
        entries.Should().HaveCount(2);

        entries[0].GetProperty("kind").GetString().Should().Be("disclosed");
        entries[0].GetProperty("value").GetProperty("value").GetString().Should().Be("6301756.6");
        entries[0].GetProperty("document").GetProperty("id").GetString().Should().Be("688083.SH/AR2022");
        entries[0].GetProperty("document").GetProperty("publishedOnUnknown").GetBoolean().Should().BeTrue();

        entries[1].GetProperty("kind").GetString().Should().Be("restated");
        entries[1].GetProperty("value").GetProperty("value").GetString().Should().Be("6003513.77");
        entries[1].GetProperty("delta").GetString().Should().Be("-298242.83");
        entries[1].GetProperty("document").GetProperty("publishedOn").GetString().Should().Be("2024-04-26");
        entries[1].GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("policyChange").GetString()).Should().Contain("CAS-INTERP-16");

        var (current, _, _, figure) = await app.CurrentAsync(Zwsoft, "ProfitLossAttributableToOwnersOfParent", "FY2022");
        current.Should().Be("6003513.77");
        figure.GetProperty("restated").GetBoolean().Should().BeTrue();
        figure.GetProperty("original").GetProperty("value").GetString().Should().Be("6301756.6");

        (await app.CurrentAsync(Zwsoft, "ProfitLossAttributableToOwnersOfParent", "FY2022", extra: "asOf=2024-04-25")).Value.Should().Be("6301756.6");
        (await app.CurrentAsync(Zwsoft, "ProfitLossAttributableToOwnersOfParent", "FY2022", extra: "asOf=2024-04-26")).Value.Should().Be("6003513.77");
    }

    [Fact]
    public async Task The_opening_balance_of_2022_is_asked_for_as_1_January_and_stored_at_31_December_2021()
    {
        // line 5443: 递延所得税资产 2,244,683.25 | 3,929,034.28 | 6,173,717.53 (2022年1月1日)
        var (v, _, _, figure) = await app.CurrentAsync(Zwsoft, "DeferredTaxAssets", "2022-01-01", extra: "opening=true");
        v.Should().Be("6173717.53");
        figure.GetProperty("period").GetString().Should().Be("2021-12-31");
        figure.GetProperty("original").GetProperty("value").GetString().Should().Be("2244683.25");
    }

    [Fact]
    public async Task The_unadjusted_2021_year_end_column_is_the_2022_report_cited_not_a_second_2023_value()
    {
        // line 244: the 2021年末 column prints 2,812,356,703.50, as previously reported; the equity statement restates
        // the same balance to 2,812,729,032.18 (lines 4223-4227). The 2023 report's own value is the restated one.
        var reported = (await app.GetJsonAsync($"/api/entities/{Zwsoft}/figures?view=as-reported&period=2021-12-31")).GetProperty("figures").EnumerateArray()
            .Where(f => f.GetProperty("concept").GetString() == "EquityAttributableToOwnersOfParent" && f.GetProperty("scope").GetString() == "consolidated")
            .ToDictionary(f => f.GetProperty("document").GetProperty("id").GetString()!, f => f.GetProperty("value").GetProperty("value").GetString());
        reported.Should().BeEquivalentTo(new Dictionary<string, string?>
        {
            [$"{Zwsoft}/AR2023"] = "2812729032.18",
            [$"{Zwsoft}/AR2022"] = "2812356703.5",
        });
        (await app.CurrentAsync(Zwsoft, "EquityAttributableToOwnersOfParent", "2021-12-31")).Value.Should().Be("2812729032.18");
    }

    [Theory]
    // lines 237, 238, 241, 252, 257: the 2022 调整后 and 调整前 cells print the same value; the 2023 report confirms what the 2022 one said
    [InlineData("Revenue", "600977013.34")]
    [InlineData("RevenueExcludingUnrelatedAndNonSubstantiveRevenue", "598262342.96")]
    [InlineData("CashFlowsFromUsedInOperatingActivities", "87085524.72")]
    [InlineData("DilutedEarningsLossPerShare", null)]
    [InlineData("ResearchAndDevelopmentInvestmentToRevenue", "0.5266")]
    public async Task Unchanged_2022_figures_are_reaffirmed_by_the_2023_report(string concept, string? value)
    {
        var entries = (await app.GetJsonAsync($"/api/entities/{Zwsoft}/figures/{concept}/FY2022/history")).GetProperty("entries").EnumerateArray().ToList();
        entries.Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("document").GetProperty("id").GetString()))
            .Should().Equal(("disclosed", $"{Zwsoft}/AR2022"), ("reaffirmed", $"{Zwsoft}/AR2023"));
        entries.Select(e => e.GetProperty("value").TryGetProperty("value", out var v) ? v.GetString() : null).Should().AllBe(value);
    }
}

[Collection(LedgerCollection.Name)]
public class ZwsoftStatementTests(LedgerApp app)
{
    [Fact]
    public async Task The_FY2022_statement_shows_both_columns_of_the_key_figures_table_as_printed()
    {
        var statement = await app.GetJsonAsync("/api/entities/688083.SH/statements/FY2022");
        var rows = statement.GetProperty("lines").EnumerateArray()
            .Where(l => l.TryGetProperty("table", out var t) && t.GetString()!.Contains("主要") && l.GetProperty("scope").GetString() == "consolidated" && l.GetProperty("dimensions").GetString() == "")
            .ToDictionary(l => l.GetProperty("row").GetString()!, l => (
                Adjusted: l.GetProperty("current").TryGetProperty("value", out var c) ? c.GetString() : "-",
                Unadjusted: l.GetProperty("asOriginallyReported").TryGetProperty("value", out var o) ? o.GetString() : "-"));

        // seed 004 lines 235-257, the 2022 调整后 / 调整前 columns, in base units (ratios as fractions)
        rows.Should().BeEquivalentTo(new Dictionary<string, (string?, string?)>
        {
            ["营业收入"] = ("600977013.34", "600977013.34"),
            ["扣除与主营业务无关的业务收入和不具备商业实质的收入后的营业收入"] = ("598262342.96", "598262342.96"),
            ["归属于上市公司股东的净利润"] = ("6003513.77", "6301756.6"),
            ["归属于上市公司股东的扣除非经常性损益的净利润"] = ("-67711608.8", "-67413365.97"),
            ["经营活动产生的现金流量净额"] = ("87085524.72", "87085524.72"),
            ["归属于上市公司股东的净资产"] = ("2710622992.54", "2710548906.69"),
            ["总资产"] = ("3139051261.84", "3135572946.18"),
            ["基本每股收益(元/股)"] = ("0.05", "0.07"),
            ["稀释每股收益(元/股)"] = ("-", "-"),
            ["扣除非经常性损益后的基本每股收益(元/股)"] = ("-0.56", "-0.78"),
            ["加权平均净资产收益率(%)"] = ("0.0022", "0.0023"),
            ["扣除非经常性损益后的加权平均净资产收益率(%)"] = ("-0.0245", "-0.0244"),
            ["研发投入占营业收入的比例(%)"] = ("0.5266", "0.5266"),
        });
    }

    [Fact]
    public async Task As_known_before_the_2023_report_the_statement_shows_the_2022_report_figures()
    {
        var statement = await app.GetJsonAsync("/api/entities/688083.SH/statements/FY2022?asOf=2024-04-25");
        var netProfit = statement.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("figure").GetString() == "688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated");
        netProfit.GetProperty("current").GetProperty("value").GetString().Should().Be("6301756.6"); // seed line 239, 调整前
        netProfit.GetProperty("restated").GetBoolean().Should().BeFalse();
    }
}
