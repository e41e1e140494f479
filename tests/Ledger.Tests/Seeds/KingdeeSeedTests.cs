using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Seeds;

/// <summary>Kingdee 2023 results press release (seeds/000_d3d10906eb5bdd80.txt): rounded figures in 億 and growth rates.</summary>
[Collection(LedgerCollection.Name)]
public class KingdeeSeedTests(LedgerApp app)
{
    [Theory]
    // line 18: 錄得收入約人民幣 56.79 億元，同比增長約 16.7%
    [InlineData("Revenue", "FY2023", null, "5679000000", "CNY", "-6")]
    [InlineData("YearOnYearChange", "FY2023", "measure=Revenue", "0.167", "pure", "3")]
    // line 20: 雲服務業務實現收入同比增長 21.3%，占集團收入約 79.3%
    [InlineData("YearOnYearChange", "FY2023", "measure=Revenue;segment=cloud-services", "0.213", "pure", "3")]
    [InlineData("ProportionOfRevenue", "FY2023", "measure=Revenue;segment=cloud-services", "0.793", "pure", "3")]
    // line 22: 年經常性收入（ARR）約為人民幣 28.6 億元，同比增長 33.1%
    [InlineData("AnnualRecurringRevenue", "2023-12-31", null, "2860000000", "CNY", "-7")]
    // line 24: 應占虧損約為人民幣 2.1 億元 — a loss, so negative
    [InlineData("ProfitLossAttributableToOwnersOfParent", "FY2023", null, "-210000000", "CNY", "-7")]
    // line 26: 經營活動產生的現金流淨額約人民幣 6.53 億元
    [InlineData("CashFlowsFromUsedInOperatingActivities", "FY2023", null, "653000000", "CNY", "-6")]
    // line 72: NDR 105.3%; 1,458 contracted customers; line 74: 647 new
    [InlineData("NetDollarRetentionRate", "FY2023", "segment=cosmic-and-constellation", "1.053", "pure", "3")]
    [InlineData("ContractedCustomerCount", "FY2023", "segment=cosmic-and-constellation", "1458", "count", "0")]
    [InlineData("NewCustomerCount", "FY2023", "segment=cosmic-and-constellation", "647", "count", "0")]
    public async Task Figures_match_the_press_release(string concept, string period, string? dims, string value, string unit, string decimals)
    {
        var (v, u, d, _) = await app.CurrentAsync("0268.HK", concept, period, dims);
        (v, u, d).Should().Be((value, unit, decimals));
    }

    [Theory]
    // line 48: 服務超過 740 萬家客戶; line 94: 專精特新企業超 1,400 家 — floors, not counts
    [InlineData("CustomerCount", "2023-12-31", "basis=cumulative", "7400000")]
    [InlineData("NewCustomerCount", "FY2023", "customerGroup=national-and-provincial-specialised-smes;segment=galaxy", "1400")]
    public async Task More_than_figures_are_lower_bounds(string concept, string period, string dims, string value)
    {
        var (v, _, _, figure) = await app.CurrentAsync("0268.HK", concept, period, dims);
        v.Should().Be(value);
        figure.GetProperty("current").GetProperty("lowerBound").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Approximate_figures_say_so()
    {
        var (_, _, _, figure) = await app.CurrentAsync("0268.HK", "Revenue", "FY2023");
        figure.GetProperty("current").GetProperty("approximate").GetBoolean().Should().BeTrue("the release prints 約人民幣 56.79 億元");
    }
}
