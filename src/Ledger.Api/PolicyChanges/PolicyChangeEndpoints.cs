using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Domain.Figures;
using Ledger.Domain.PolicyChanges;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Ledger.Projections.PolicyChanges;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.PolicyChanges;

/// <summary>Every line a policy change affects, at every date, before / adjustment / after, and the identities checked.</summary>
public static class PolicyChangeEndpoints
{
    /// <summary>The entity's adoption of the policy change (the latest description by publication date, whatever the order of loading).</summary>
    public static async Task<(AccountingPolicyChangeAdopted? Adoption, IResult Problem)> LoadAsync(string entity, string policyChange,
        IQuerySession session, CancellationToken ct)
    {
        var (profile, unknown) = await KnownEntity.LoadAsync(entity, session, ct);
        if (profile is null) return (null, unknown);
        var adoption = profile.PolicyChanges.Where(p => p.PolicyChange == policyChange).MaxBy(p => FigureTimeline.OrderOf(p.Document));
        return adoption is null
            ? (null, Problems.NotFound($"{entity} has adopted no policy change '{policyChange}'."))
            : (adoption, WolverineContinue.Result());
    }

    [EndpointSummary("For one entity and one accounting policy change: every affected line at every date (before, adjustment, after, as printed), the effects printed for the adoption year, and the identities checked.")]
    [ResponseExample("""{"entity":"688083.SH","policyChange":{"id":"CAS-INTERP-16","effectiveFrom":"2023-01-01"},"dates":[{"period":"2022-12-31","lines":[{"concept":"DeferredTaxAssets","label":"递延所得税资产","before":{"value":"9355673.66","unit":"CNY","decimals":"2"},"adjustment":{"value":"3478315.66","unit":"CNY","decimals":"2"},"after":{"value":"12833989.32","unit":"CNY","decimals":"2"}}]}],"identities":[{"name":"balance-sheet-balances","period":"2022-12-31","scope":"consolidated","holds":true,"verdict":"consistent"}]}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/policy-changes/{policyChange}/reconciliation")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<PolicyChangeReconciliationResponse> Get(string entity, string? language, AccountingPolicyChangeAdopted adoption,
        IQuerySession session, ConceptCatalog catalog, CancellationToken ct)
    {
        // Not only restated figures: a table line whose adjustment is a dash (nil) leaves the figure as it was.
        var r = PolicyChangeReconciliationView.Build(adoption, await FigureReads.OfEntityAsync(session, entity, null, ct), catalog);
        return new PolicyChangeReconciliationResponse(entity, PolicyChangeView.Of(adoption),
            r.Restated.GroupBy(l => l.Period).Select(g => new PolicyChangeDateView(g.Key, g.Select(l => PolicyLineView.Of(l, catalog, language)).ToList())).ToList(),
            r.CurrentPeriodEffects.Select(l => PolicyLineView.Of(l, catalog, language)).ToList(),
            r.Identities.Select(IdentityView.Of).ToList(),
            r.Identities.All(i => i.Holds));
    }
}
