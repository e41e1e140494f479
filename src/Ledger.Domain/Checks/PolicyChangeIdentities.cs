using Ledger.Domain.Concepts;
using Ledger.Domain.Values;

namespace Ledger.Domain.Checks;

/// <summary>One line a policy change affects: a figure at a date, before, the adjustment, after.</summary>
public sealed record PolicyLine(string Figure, string Concept, Period Period, string Scope, Amount? Before, Amount Adjustment, Amount? After);

/// <summary>An identity the adjustments of a policy change must satisfy, and whether they do.</summary>
public sealed record IdentityResult(string Name, string Period, string Scope, string Statement, CalculationResult Result, IReadOnlyList<string> Figures)
{
    public bool Holds => Result.Verdict is Verdict.Consistent or Verdict.ConsistentWithinRounding;
}

/// <summary>
/// The identities a retrospective policy change's adjustments satisfy (Interpretation No. 16 is the model:
/// a tax-only change that moves deferred tax and, through profit, equity):
/// the balance sheet balances (Δ assets = Δ liabilities + Δ equity); a restated equity total is the sum of
/// its restated components; Δ net profit = −Δ income tax expense; the closing equity effect is the opening
/// one plus the year's profit effect; and the headline figures moved by what the tables imply.
/// </summary>
public static class PolicyChangeIdentities
{
    /// <summary>Balance-sheet lines that are totals, not components, and so stay out of the double entry.</summary>
    private static readonly HashSet<string> Totals = ["Assets", "Liabilities", "Equity", "EquityAndLiabilities", "EquityAttributableToOwnersOfParent", "CurrentAssets", "NoncurrentAssets", "CurrentLiabilities", "NoncurrentLiabilities"];

    /// <summary>Credit-balance lines that are equity, not liabilities.</summary>
    private static readonly HashSet<string> EquityComponents = ["StatutorySurplusReserve", "RetainedEarnings", "IssuedCapital", "SharePremium", "CapitalReserve", "OtherReserves", "TreasuryShares", "NoncontrollingInterests", "OtherComprehensiveIncomeReserve"];

    private const string NetProfit = "ProfitLoss";
    private const string IncomeTax = "IncomeTaxExpenseContinuingOperations";
    private const string NetProfitToOwners = "ProfitLossAttributableToOwnersOfParent";
    private const string NetProfitToOwnersExcludingNonRecurring = "ProfitAttributableToOwnersExcludingNonRecurringItems";

    public static IReadOnlyList<IdentityResult> Check(IReadOnlyList<PolicyLine> lines, ConceptCatalog catalog)
    {
        var results = new List<IdentityResult>();
        foreach (var scope in lines.Select(l => l.Scope).Distinct())
        {
            var inScope = lines.Where(l => l.Scope == scope).ToList();
            foreach (var date in inScope.Where(l => l.Period.Type == PeriodType.Instant).Select(l => l.Period).DistinctBy(p => p.Id).OrderBy(p => p.End))
            {
                var at = inScope.Where(l => l.Period.Id == date.Id).ToList();
                var assets = at.Where(l => !Totals.Contains(l.Concept) && !EquityComponents.Contains(l.Concept) && BalanceOf(l, catalog) == Balance.Debit).ToList();
                var liabilities = at.Where(l => !Totals.Contains(l.Concept) && !EquityComponents.Contains(l.Concept) && BalanceOf(l, catalog) == Balance.Credit).ToList();
                var equity = at.Where(l => EquityComponents.Contains(l.Concept)).ToList();

                if ((assets.Count > 0 || liabilities.Count > 0) && equity.Count > 0)
                    results.Add(Zero("balance-sheet-balances", date, scope, "Δ assets − Δ liabilities − Δ equity components = 0",
                        [.. assets.Select(l => (l, 1)), .. liabilities.Select(l => (l, -1)), .. equity.Select(l => (l, -1))]));

                foreach (var total in at.Where(l => l.Concept is "Equity" or "EquityAttributableToOwnersOfParent") )
                    if (equity.Count > 0 && !(total.Concept == "EquityAttributableToOwnersOfParent" && equity.Any(e => e.Concept == "NoncontrollingInterests")))
                        results.Add(Equals($"{Kebab(total.Concept)}-equals-its-components", date, scope, $"Δ {total.Concept} = Σ Δ equity components", total, equity));

                if (at.FirstOrDefault(l => l.Concept == "Assets") is { } totalAssets && assets.Count > 0)
                    results.Add(Equals("total-assets-moved-by-the-asset-adjustments", date, scope, "Δ Assets = Σ Δ asset lines", totalAssets, assets));
            }

            foreach (var period in inScope.Where(l => l.Period.Type == PeriodType.Duration).Select(l => l.Period).DistinctBy(p => p.Id).OrderBy(p => p.End))
            {
                var during = inScope.Where(l => l.Period.Id == period.Id).ToList();
                var profit = during.FirstOrDefault(l => l.Concept == NetProfit);
                var tax = during.FirstOrDefault(l => l.Concept == IncomeTax);
                if (profit is not null && tax is not null)
                    results.Add(Zero("net-profit-moves-by-minus-tax", period, scope, "Δ net profit + Δ income tax expense = 0", [(profit, 1), (tax, 1)]));
                if (during.FirstOrDefault(l => l.Concept == NetProfitToOwners) is { } toOwners && profit is not null)
                    results.Add(Equals("net-profit-attributable-moved-by-the-net-profit-adjustment", period, scope, "Δ net profit attributable to owners = Δ net profit", toOwners, [profit]));
                if (during.FirstOrDefault(l => l.Concept == NetProfitToOwnersExcludingNonRecurring) is { } recurring && profit is not null)
                    results.Add(Equals("net-profit-excluding-non-recurring-items-moved-by-the-net-profit-adjustment", period, scope, "Δ 扣非 net profit = Δ net profit", recurring, [profit]));

                // Closing equity effect = opening equity effect + the period's profit effect.
                var opening = EquityEffectAt(inScope, Period.Instant(period.Start.AddDays(-1)));
                var closing = EquityEffectAt(inScope, Period.Instant(period.End));
                if (profit is not null && opening.Count > 0 && closing.Count > 0)
                    results.Add(Zero("equity-rolls-forward", period, scope, "Δ closing equity − Δ opening equity − Δ net profit = 0",
                        [.. closing.Select(l => (l, 1)), .. opening.Select(l => (l, -1)), (profit, -1)]));
            }
        }
        return results;
    }

    /// <summary>The equity effect at a date: the restated equity total where there is one, else its components.</summary>
    private static List<PolicyLine> EquityEffectAt(IEnumerable<PolicyLine> lines, Period date)
    {
        var at = lines.Where(l => l.Period.Id == date.Id).ToList();
        var total = at.FirstOrDefault(l => l.Concept == "Equity");
        return total is not null ? [total] : at.Where(l => EquityComponents.Contains(l.Concept)).ToList();
    }

    private static Balance? BalanceOf(PolicyLine l, ConceptCatalog catalog) =>
        catalog.TryGet(l.Concept, out var c) && c.PeriodType == PeriodType.Instant && c.DataType == DataType.Monetary ? c.Balance : null;

    private static IdentityResult Zero(string name, Period period, string scope, string statement, IReadOnlyList<(PolicyLine Line, int Weight)> terms) =>
        new(name, period.Id, scope, statement,
            Calculation.Sum(terms.Select(t => new Term(t.Line.Adjustment, t.Weight)).ToList(), Amount.Of(0m, terms[0].Line.Adjustment.Unit, null)),
            terms.Select(t => t.Line.Figure).ToList());

    private static IdentityResult Equals(string name, Period period, string scope, string statement, PolicyLine total, IReadOnlyList<PolicyLine> parts) =>
        new(name, period.Id, scope, statement,
            Calculation.Sum(parts.Select(p => new Term(p.Adjustment)).ToList(), total.Adjustment),
            [total.Figure, .. parts.Select(p => p.Figure)]);

    private static string Kebab(string concept) =>
        string.Concat(concept.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
