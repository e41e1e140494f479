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
        catalog.All.Count(c => c.IfrsElement).Should().Be(156, "the ids found, case for case, in the IFRS Accounting Taxonomy 2025");
        foreach (var id in new[] { "Revenue", "ProfitLossAttributableToOwnersOfParent", "Assets", "DeferredTaxAssets", "BasicEarningsLossPerShare", "CashOnHand", "UnusedTaxLossesForWhichNoDeferredTaxAssetRecognised" })
            catalog[id].IfrsElement.Should().BeTrue(id);
        // Named like an IFRS element, but not one: AdditionalPaidinCapital, SalesAndMarketingExpense,
        // AssetsLessCurrentLiabilities, InvestmentAccountedForUsingEquityMethod are the taxonomy's own names.
        foreach (var id in new[] { "AdditionalPaidInCapital", "SellingAndMarketingExpense", "TotalAssetsLessCurrentLiabilities", "InvestmentsAccountedForUsingEquityMethod" })
            catalog[id].IfrsElement.Should().BeFalse(id);
        catalog.All.Where(c => c.NonGaap).Should().OnlyContain(c => !c.IfrsElement, "a non-GAAP measure is never an IFRS element");
    }
}
