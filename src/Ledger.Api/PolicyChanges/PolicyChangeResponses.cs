using Ledger.Api.Figures;
using Ledger.Domain.Checks;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;
using Ledger.Projections.PolicyChanges;

namespace Ledger.Api.PolicyChanges;

/// <summary>One policy change of one entity: every affected line at every date, the adoption year's effects, the identities checked.</summary>
public sealed record PolicyChangeReconciliationResponse(
    string Entity, PolicyChangeView PolicyChange, IReadOnlyList<PolicyChangeDateView> Dates, IReadOnlyList<PolicyLineView> CurrentPeriodEffects,
    IReadOnlyList<IdentityView> Identities, bool AllIdentitiesHold);

public sealed record PolicyChangeView(string Id, string Title, DateOnly EffectiveFrom, string Transition, string Document, Location Location)
{
    public static PolicyChangeView Of(AccountingPolicyChangeAdopted a) => new(a.PolicyChange, a.Title, a.EffectiveFrom, a.Transition, a.Document.Id, a.Location);
}

public sealed record PolicyChangeDateView(string Period, IReadOnlyList<PolicyLineView> Lines);

public sealed record PolicyLineView(
    string Figure, string Concept, string Label, string Period, string Scope, string Dimensions,
    ValueView? Before, ValueView Adjustment, bool AdjustmentPrinted, ValueView? After, IReadOnlyList<RestatementReason> Reasons,
    string Document, Location Location)
{
    public static PolicyLineView Of(PolicyChangeLine l, ConceptCatalog catalog, string? language) => new(l.Figure, l.Concept,
        catalog.TryGet(l.Concept, out var c) ? c.Label(ConceptCatalog.LabelLanguage(language)) : l.Concept, l.Period, l.Scope, l.Dimensions,
        ValueView.Of(l.Before?.Value), ValueView.Of(l.Adjustment.Value)!, l.AdjustmentPrinted, ValueView.Of(l.After?.Value), l.Reasons, l.DocumentId, l.Location);
}

public sealed record IdentityView(string Name, string Period, string Scope, string Statement, bool Holds, string Verdict,
    string? Computed, string? Expected, string? Difference, string Gap, IReadOnlyList<string> Figures)
{
    public static IdentityView Of(IdentityResult i) => new(i.Name, i.Period, i.Scope, i.Statement, i.Holds, Verdicts.Kebab(i.Result.Verdict),
        Format(i.Result.Computed), Format(i.Result.Reported), Format(i.Result.Difference), Amount.Format(i.Result.Gap), i.Figures);

    private static string? Format(decimal? d) => d is { } x ? Amount.Format(x) : null;
}

public static class Verdicts
{
    public static string Kebab(Verdict v) => v switch
    {
        Verdict.Consistent => "consistent",
        Verdict.ConsistentWithinRounding => "consistent-within-rounding",
        Verdict.Inconsistent => "inconsistent",
        _ => "indeterminate",
    };
}
