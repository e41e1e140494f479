using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Seeds;

/// <summary>SenseTime FY2023 annual results (seeds/003_bbffb2fef796343d.txt), IFRS, RMB thousands and millions.</summary>
[Collection(LedgerCollection.Name)]
public class SenseTimeSeedTests(LedgerApp app)
{
    [Theory]
    // line 38: 收入 3,405,842 100.0 3,808,510 100.0 –10.6%
    [InlineData("Revenue", "FY2023", null, "3405842000", "CNY", "-3")]
    [InlineData("Revenue", "FY2022", null, "3808510000", "CNY", "-3")]
    [InlineData("YearOnYearChange", "FY2023", "measure=Revenue", "-0.106", "pure", "3")]
    // line 40: 毛利 1,500,787 44.1 ...
    [InlineData("GrossProfit", "FY2023", null, "1500787000", "CNY", "-3")]
    [InlineData("ProportionOfRevenue", "FY2023", "measure=GrossProfit", "0.441", "pure", "3")]
    // line 42: 年度虧損 (6,494,670) (190.7) (6,092,990)
    [InlineData("ProfitLoss", "FY2023", null, "-6494670000", "CNY", "-3")]
    // line 44: EBITDA (5,449,554)
    [InlineData("Ebitda", "FY2023", null, "-5449554000", "CNY", "-3")]
    // line 443: 本公司權益持有人 (6,440,159) (6,044,796)
    [InlineData("ProfitLossAttributableToOwnersOfParent", "FY2023", null, "-6440159000", "CNY", "-3")]
    // line 450 / 452: 經調整EBITDA (4,369,023); 經調整虧損淨額 (5,414,139)
    [InlineData("AdjustedEbitda", "FY2023", null, "-4369023000", "CNY", "-3")]
    [InlineData("AdjustedNetLoss", "FY2023", null, "-5414139000", "CNY", "-3")]
    // line 991: 每股基本及攤薄虧損（人民幣元） 8 (0.20) (0.19)
    [InlineData("BasicEarningsLossPerShare", "FY2023", null, "-0.2", "CNY/share", "2")]
    // line 408: 銷售成本 (1,905,055) — printed as a deduction; the ledger keeps expenses positive (XBRL)
    [InlineData("CostOfSales", "FY2023", null, "1905055000", "CNY", "-3")]
    // line 438: 所得稅抵免 9,492 — a tax credit, so a negative income tax expense
    [InlineData("IncomeTaxExpenseContinuingOperations", "FY2023", null, "-9492000", "CNY", "-3")]
    // line 470: 生成式AI 1,183.7 (RMB millions)
    [InlineData("Revenue", "FY2023", "segment=generative-ai", "1183700000", "CNY", "-5")]
    public async Task Figures_match_the_announcement(string concept, string period, string? dims, string value, string unit, string decimals)
    {
        var (v, u, d, _) = await app.CurrentAsync("0020.HK", concept, period, dims);
        (v, u, d).Should().Be((value, unit, decimals));
    }
}
