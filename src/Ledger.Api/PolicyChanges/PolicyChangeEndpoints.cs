using Ledger.Domain.Checks;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Projections.Entities;
using Ledger.Projections.PolicyChanges;

namespace Ledger.Api.PolicyChanges;

public sealed record PolicyLineView(
    string Figure, string Concept, string Label, string Period, string Scope, string Dimensions,
    ValueView? Before, ValueView Adjustment, bool AdjustmentPrinted, ValueView? After, IReadOnlyList<RestatementReason> Reasons,
    string Document, Location Location);

public sealed record IdentityView(string Name, string Period, string Scope, string Statement, bool Holds, string Verdict,
    string? Computed, string? Expected, string? Difference, string Gap, IReadOnlyList<string> Figures);

public static class PolicyChangeEndpoints
{
    /// <summary>Every line a policy change affects, at every date, before / adjustment / after, and the identities checked.</summary>
    [WolverineGet("/api/entities/{entity}/policy-changes/{policyChange}/reconciliation")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Reconciliation(string entity, string policyChange, string? language, IDocumentStore store, ConceptCatalog catalog, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var profile = await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct);
        if (profile is null) return Problems.UnknownEntity(entity);
        // The latest description by publication date, whatever the order of loading.
        var adoption = profile.PolicyChanges.Where(p => p.PolicyChange == policyChange).MaxBy(p => Ledger.Domain.History.FigureTimeline.OrderOf(p.Document));
        if (adoption is null) return Problems.NotFound($"{entity} has adopted no policy change '{policyChange}'.");

        // Not only restated figures: a table line whose adjustment is a dash (nil) leaves the figure as it was.
        var figures = await FigureReads.OfEntityAsync(session, entity, null, ct);
        var r = PolicyChangeReconciliationView.Build(adoption, figures, catalog);
        PolicyLineView View(PolicyChangeLine l) => new(l.Figure, l.Concept,
            catalog.TryGet(l.Concept, out var c) ? c.Label(language ?? "zh-Hans") : l.Concept, l.Period, l.Scope, l.Dimensions,
            ValueView.Of(l.Before?.Value), ValueView.Of(l.Adjustment.Value)!, l.AdjustmentPrinted, ValueView.Of(l.After?.Value), l.Reasons, l.DocumentId, l.Location);

        return Results.Json(new
        {
            entity,
            policyChange = new { id = adoption.PolicyChange, adoption.Title, adoption.EffectiveFrom, adoption.Transition, document = adoption.Document.Id, adoption.Location },
            dates = r.Restated.GroupBy(l => l.Period).Select(g => new { period = g.Key, lines = g.Select(View) }),
            currentPeriodEffects = r.CurrentPeriodEffects.Select(View),
            identities = r.Identities.Select(i => new IdentityView(i.Name, i.Period, i.Scope, i.Statement, i.Holds, Verdicts.Kebab(i.Result.Verdict),
                Format(i.Result.Computed), Format(i.Result.Reported), Format(i.Result.Difference), Amount.Format(i.Result.Gap), i.Figures)),
            allIdentitiesHold = r.Identities.All(i => i.Holds),
        }, Problems.Json);
    }

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
