using Ledger.Domain.Checks;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;

namespace Ledger.Projections.PolicyChanges;

/// <summary>One affected line: before, adjustment, after, as the adopting document prints them.</summary>
public sealed record PolicyChangeLine(
    string Figure, string Concept, string Period, string Scope, string Dimensions,
    Statement? Before, Statement Adjustment, bool AdjustmentPrinted, Statement? After,
    IReadOnlyList<RestatementReason> Reasons, string DocumentId, Location Location);

public sealed record PolicyChangeReconciliation(
    AccountingPolicyChangeAdopted Adoption,
    IReadOnlyList<PolicyChangeLine> Restated,
    IReadOnlyList<PolicyChangeLine> CurrentPeriodEffects,
    IReadOnlyList<IdentityResult> Identities);

/// <summary>
/// The policy-change reconciliation: for one entity and one accounting policy change, every line the
/// restatements citing it affect, at every date, with before / adjustment / after, the effects the
/// adopting document prints for its own year, and the identities those adjustments must satisfy.
/// Built from the figures' audit histories, which hold each restatement with its printed adjustment.
/// </summary>
public static class PolicyChangeReconciliationView
{
    public static PolicyChangeReconciliation Build(AccountingPolicyChangeAdopted adoption, IEnumerable<FigureHistory> figures, ConceptCatalog catalog)
    {
        var restated = new List<PolicyChangeLine>();
        foreach (var figure in figures)
        {
            foreach (var s in figure.Statements.Where(s => s.Kind == StatementKinds.Restatement && s.Reasons.Any(r => r.PolicyChange == adoption.PolicyChange)))
            {
                var printed = s.Adjustment is { Value.IsNil: false } || s.Adjustment?.Printed is not null;
                restated.Add(new PolicyChangeLine(figure.Id, figure.Concept, figure.Period, figure.Scope, figure.Dimensions,
                    s.PrintedBefore, s.Adjustment ?? Difference(s.PrintedBefore!, s.Value), printed, s.Value, s.Reasons, s.Document.Id, s.Location));
            }
        }
        restated = restated.OrderBy(l => Period.Parse(l.Period).End).ThenBy(l => l.Scope).ThenBy(l => l.Location.Line ?? int.MaxValue).ToList();

        var effects = adoption.CurrentPeriodEffects.Select(e =>
        {
            var key = FigureKey.Parse(e.Figure);
            return new PolicyChangeLine(e.Figure, key.Concept, key.Period, key.Scope, key.DimensionsText, null, e.Value, true, null, [], adoption.Document.Id, e.Location);
        }).ToList();

        // Identities are checked on plain figures (no dimensions), each effect once.
        var identityLines = restated.Concat(effects)
            .Where(l => l.Dimensions.Length == 0 && catalog.TryGet(l.Concept, out var c) && c.DataType == DataType.Monetary)
            .Select(l => new PolicyLine(l.Figure, l.Concept, Period.Parse(l.Period), l.Scope, l.Before?.Value,
                // A dash in an adjustment column means no adjustment.
                l.Adjustment.Value.IsNil ? Amount.Of(0m, l.Adjustment.Value.Unit, null) : l.Adjustment.Value, l.After?.Value))
            .ToList();
        return new PolicyChangeReconciliation(adoption, restated, effects, PolicyChangeIdentities.Check(identityLines, catalog));
    }

    private static Statement Difference(Statement before, Statement after)
    {
        if (before.Value.Value is not { } b || after.Value.Value is not { } a) return new Statement(Amount.NilOf(NilKind.Nil, after.Value.Unit));
        int? decimals = before.Value.Decimals is { } x && after.Value.Decimals is { } y ? Math.Min(x, y) : before.Value.Decimals ?? after.Value.Decimals;
        return new Statement(Amount.Of(a - b, after.Value.Unit, decimals));
    }
}
