using Ledger.Domain.Concepts;

namespace Ledger.Tests.Domain;

public class ConceptCatalogTests
{
    [Fact]
    public void Concepts_that_are_IFRS_elements_are_marked_and_near_misses_are_not()
    {
        var catalog = ConceptCatalog.Default;
        // 136, and 15 added for SenseTime's notes (issue 15): AdditionsOtherThanThroughBusinessCombinationsPropertyPlantAndEquipment,
        // ApplicableTaxRate, ContractAssets, CurrentPortionOfLongtermBorrowings, CurrentValueAddedTaxReceivables,
        // DepreciationPropertyPlantAndEquipment, DisposalsPropertyPlantAndEquipment, FinancialAssetsAtFairValueThroughProfitOrLoss,
        // IncreaseDecreaseThroughChangesInOwnershipInterestsInSubsidiariesThatDoNotResultInLossOfControl,
        // IncreaseDecreaseThroughExerciseOfOptions, IncreaseDecreaseThroughNetExchangeDifferencesPropertyPlantAndEquipment,
        // IncreaseDecreaseThroughTransfersPropertyPlantAndEquipment, TransactionPriceAllocatedToRemainingPerformanceObligations,
        // UndrawnBorrowingFacilities, UnusedTaxLossesForWhichNoDeferredTaxAssetRecognised;
        // and five more for ZWSOFT's notes: CashOnHand, BalancesWithBanks, Provisions, LiabilitiesArisingFromFinancingActivities,
        // DeductibleTemporaryDifferencesForWhichNoDeferredTaxAssetIsRecognised
        // Then every id checked by script against the IFRS Taxonomy 2022-03-24 core schema (full_ifrs-cor_2022-03-24.xsd,
        // 5,247 elements; names, balance and period type), which found thirteen elements not marked: Cash, CashEquivalents,
        // DividendsPayable, InterestPayable, InterestReceivable, OtherComprehensiveIncomeBeforeTax, ParValuePerShare,
        // IncreaseDecreaseThroughTransactionsWithOwners, AdjustmentsForDecreaseIncreaseInInventories, TaxEffectOfForeignTaxRates,
        // OtherAdjustmentsToReconcileProfitLoss, BorrowingsInterestRate, ExpectedCreditLossRate; and four of ZWSOFT's notes:
        // CashOutflowForLeases, InterestExpenseOnLeaseLiabilities, DepreciationRatePropertyPlantAndEquipment,
        // ServicesReceivedRelatedPartyTransactions; SharesInEntityHeldByEntityOrByItsSubsidiariesOrAssociates (ZWSOFT's shares in
        // its repurchase account, IAS 1.79(a)(vi)). IncreaseDecreaseThroughSharebasedPaymentTransactions is spelt as the taxonomy
        // spells it (lower-case b). (ProportionOfOwnershipInterestInSubsidiary
        // is an element too, but of duration type: the catalog keeps it an instant and so unmarked.)
        catalog.All.Count(c => c.IfrsElement).Should().Be(174, "the ids found, case for case, in the IFRS Accounting Taxonomy");
        // Balances as the taxonomy gives them: the operating cash flows, depreciation and the unrecognised tax bases have none.
        foreach (var id in new[] { "CashFlowsFromUsedInOperatingActivities", "CashFlowsFromUsedInOperations", "DepreciationPropertyPlantAndEquipment",
                     "DeductibleTemporaryDifferencesForWhichNoDeferredTaxAssetIsRecognised", "UnusedTaxLossesForWhichNoDeferredTaxAssetRecognised" })
            catalog[id].Balance.Should().BeNull(id);
        catalog["UndrawnBorrowingFacilities"].Balance.Should().Be(Balance.Credit);
        catalog["IncreaseDecreaseThroughSharebasedPaymentTransactions"].IfrsElement.Should().BeTrue();
        foreach (var id in new[] { "Revenue", "ProfitLossAttributableToOwnersOfParent", "Assets", "DeferredTaxAssets", "BasicEarningsLossPerShare", "CashOnHand", "UnusedTaxLossesForWhichNoDeferredTaxAssetRecognised" })
            catalog[id].IfrsElement.Should().BeTrue(id);
        // Named like an IFRS element, but not one: AdditionalPaidinCapital, SalesAndMarketingExpense,
        // AssetsLessCurrentLiabilities, InvestmentAccountedForUsingEquityMethod are the taxonomy's own names.
        foreach (var id in new[] { "AdditionalPaidInCapital", "SellingAndMarketingExpense", "TotalAssetsLessCurrentLiabilities", "InvestmentsAccountedForUsingEquityMethod" })
            catalog[id].IfrsElement.Should().BeFalse(id);
        catalog.All.Where(c => c.NonGaap).Should().OnlyContain(c => !c.IfrsElement, "a non-GAAP measure is never an IFRS element");
    }
}
