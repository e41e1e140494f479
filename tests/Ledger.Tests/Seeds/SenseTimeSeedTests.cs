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

    [Theory]
    // lines 1692-1712, the tax-rate reconciliation, printed credit-positive (the total, line 1714, is 所得稅抵免 9,492):
    // the ledger keeps expenses positive, so each item is the negation of its printed amount.
    [InlineData("TaxExpenseIncomeAtApplicableTaxRate", "FY2023", "-1012381000")]                      // line 1692: 1,012,381
    [InlineData("TaxEffectOfSuperDeductionForResearchAndDevelopmentExpenses", "FY2023", "-216850000")] // line 1695: 216,850
    [InlineData("TaxEffectOfRevenuesExemptFromTaxation", "FY2022", "-25357000")]                       // line 1697: – 25,357
    [InlineData("TaxEffectOfResultsOfAssociatesAndJointVenturesReportedNetOfTax", "FY2023", "4006000")] // line 1699: (4,006)
    [InlineData("TaxEffectOfExpenseNotDeductibleInDeterminingTaxableProfitTaxLoss", "FY2022", "177044000")] // line 1701: (177,044)
    [InlineData("TaxEffectOfTaxLossesForWhichNoDeferredTaxAssetRecognised", "FY2023", "722622000")]    // line 1703: (722,622)
    [InlineData("TaxEffectOfOtherTemporaryDifferencesForWhichNoDeferredTaxAssetRecognised", "FY2023", "140006000")] // line 1705
    [InlineData("TaxEffectOfAccruedWithholdingTax", "FY2023", "27241000")]                             // line 1707: (27,241)
    [InlineData("TaxEffectOfReversalOfPreviouslyRecognisedDeferredTaxAssetsAndTemporaryDifferences", "FY2023", "276439000")] // line 1710
    [InlineData("OtherTaxEffectsForReconciliationBetweenAccountingProfitAndTaxExpenseIncome", "FY2023", "-515000")] // line 1712: 515
    [InlineData("OtherTaxEffectsForReconciliationBetweenAccountingProfitAndTaxExpenseIncome", "FY2022", "3579000")] // line 1712: (3,579)
    // line 1966: 減值撥備 (4,191,392) (2,578,516), a deduction from receivables: the allowance itself is a positive credit balance
    [InlineData("AllowanceForImpairmentOfTradeReceivables", "2023-12-31", "4191392000")]
    [InlineData("AllowanceForImpairmentOfTradeReceivables", "2022-12-31", "2578516000")]
    public async Task The_tax_reconciliation_and_the_allowances_take_the_ledgers_signs(string concept, string period, string value)
    {
        (await app.CurrentAsync("0020.HK", concept, period)).Value.Should().Be(value);
    }

    [Theory]
    [InlineData("FY2023", -9_492_000)]   // line 1714: 所得稅抵免 9,492
    [InlineData("FY2022", -239_822_000)] // line 1714: 239,822
    public async Task The_tax_reconciliation_items_add_up_to_the_income_tax(string period, decimal incomeTax)
    {
        string[] items =
        [
            "TaxExpenseIncomeAtApplicableTaxRate", "TaxEffectOfSuperDeductionForResearchAndDevelopmentExpenses", "TaxEffectOfRevenuesExemptFromTaxation",
            "TaxEffectOfResultsOfAssociatesAndJointVenturesReportedNetOfTax", "TaxEffectOfExpenseNotDeductibleInDeterminingTaxableProfitTaxLoss",
            "TaxEffectOfTaxLossesForWhichNoDeferredTaxAssetRecognised", "TaxEffectOfOtherTemporaryDifferencesForWhichNoDeferredTaxAssetRecognised",
            "TaxEffectOfAccruedWithholdingTax", "TaxEffectOfReversalOfPreviouslyRecognisedDeferredTaxAssetsAndTemporaryDifferences",
            "OtherTaxEffectsForReconciliationBetweenAccountingProfitAndTaxExpenseIncome",
        ];
        decimal sum = 0;
        foreach (var item in items)
            if ((await app.CurrentAsync("0020.HK", item, period)).Value is { } v) sum += decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
        sum.Should().Be(incomeTax);
        (await app.CurrentAsync("0020.HK", "IncomeTaxExpenseContinuingOperations", period)).Value.Should().Be(incomeTax.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Both_statements_of_the_2022_allowance_are_positive()
    {
        // line 691: 減值撥備 (2,578.5) in RMB millions; line 1966: (2,578,516) in thousands — one figure, stated twice
        var history = await app.GetJsonAsync("/api/entities/0020.HK/figures?view=as-reported&period=2022-12-31");
        history.GetProperty("figures").EnumerateArray()
            .Where(f => f.GetProperty("concept").GetString() == "AllowanceForImpairmentOfTradeReceivables")
            .Select(f => f.GetProperty("value").GetProperty("value").GetString()).Should().OnlyContain(v => !v!.StartsWith('-'));
    }
}
