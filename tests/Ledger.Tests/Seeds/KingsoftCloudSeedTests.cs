using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Seeds;

/// <summary>
/// Kingsoft Cloud FY2024 preliminary results (seeds/002_bbb4a6706966530e.txt), RMB thousands with a
/// US$ convenience translation. Line numbers are the seed text's.
/// </summary>
[Collection(LedgerCollection.Name)]
public class KingsoftCloudSeedTests(LedgerApp app)
{
    [Theory]
    // line 520: 總收入 7,047,461 7,785,180 1,066,566
    [InlineData("Revenue", "FY2024", null, "7785180000", "CNY", "-3")]
    [InlineData("Revenue", "FY2023", null, "7047461000", "CNY", "-3")]
    [InlineData("Revenue", "FY2024", "translation=USD", "1066566000", "USD", "-3")]
    // line 524: 毛利 850,169 1,340,926 183,707
    [InlineData("GrossProfit", "FY2024", null, "1340926000", "CNY", "-3")]
    // line 543: 淨虧損 (2,183,647) (1,979,042) (271,127) — negative
    [InlineData("ProfitLoss", "FY2024", null, "-1979042000", "CNY", "-3")]
    [InlineData("ProfitLoss", "FY2024", "translation=USD", "-271127000", "USD", "-3")]
    // line 111: adjusted net loss (1,291,121) (825,346) (113,071)
    [InlineData("AdjustedNetLoss", "FY2024", null, "-825346000", "CNY", "-3")]
    // line 120: adjusted EBITDA (265,064) 638,917 87,532
    [InlineData("AdjustedEbitda", "FY2024", null, "638917000", "CNY", "-3")]
    // line 553: 基本及攤薄 6 (0.61) (0.54) (0.07) — per share
    [InlineData("BasicEarningsLossPerShare", "FY2024", null, "-0.54", "CNY/share", "2")]
    [InlineData("BasicEarningsLossPerShare", "FY2023", null, "-0.61", "CNY/share", "2")]
    // line 80: 毛利率 12.1 17.2 — a ratio
    [InlineData("GrossMargin", "FY2024", null, "0.172", "pure", "3")]
    public async Task Figures_match_the_announcement(string concept, string period, string? dims, string value, string unit, string decimals)
    {
        var (v, u, d, _) = await app.CurrentAsync("3896.HK", concept, period, dims);
        (v, u, d).Should().Be((value, unit, decimals));
    }

    [Fact]
    public async Task The_FY2023_capex_in_US_dollars_is_not_taken_for_a_translation_at_the_documents_rate()
    {
        // lines 207-208: 人民幣1,964.7百萬元（276.7百萬美元）: 1,964.7 / 276.7 ≈ 7.10, not the 7.2993 of the US$ columns
        (await app.Client.GetAsync("/api/entities/3896.HK/figures/CapitalExpenditureIncludingThirdPartyFinanced/FY2023?dims=translation%3DUSD"))
            .StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        var (v, u, d, _) = await app.CurrentAsync("3896.HK", "CapitalExpenditureIncludingThirdPartyFinanced", "FY2023", "basis=usd-at-unstated-rate");
        (v, u, d).Should().Be(("276700000", "USD", "-5"));
        (await app.CurrentAsync("3896.HK", "CapitalExpenditureIncludingThirdPartyFinanced", "FY2023")).Value.Should().Be("1964700000");
    }
}
