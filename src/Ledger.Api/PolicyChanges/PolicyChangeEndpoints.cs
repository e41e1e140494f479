using Ledger.Api.Entities;
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
    /// <summary>Query input, checked before anything is read.</summary>
    public static IResult Validate(string? language, ConceptCatalog catalog) =>
        !catalog.IsLabelLanguage(language) ? Problems.BadLanguage(language, catalog) : WolverineContinue.Result();

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
    [ResponseExample("""{"entity":"688083.SH","policyChange":{"id":"CAS-INTERP-16","title":"企业会计准则解释第16号","effectiveFrom":"2023-01-01","transition":"retrospective","document":"688083.SH/AR2023","location":{"section":"第十节 财务报告 五、 重要会计政策及会计估计 40. 重要会计政策和会计估计的变更 (1). 重要会计政策变更","table":"会计政策变更的内容和原因 / 其他说明 ①企业会计准则解释第16号","line":5405}},"dates":[{"period":"2022-12-31","lines":[{"figure":"688083.SH|DeferredTaxAssets|2022-12-31|consolidated","concept":"DeferredTaxAssets","label":"递延所得税资产","period":"2022-12-31","scope":"consolidated","dimensions":"","before":{"value":"9355673.66","unit":"CNY","decimals":"2","approximate":false},"adjustment":{"value":"3478315.66","unit":"CNY","decimals":"2","approximate":false},"adjustmentPrinted":true,"after":{"value":"12833989.32","unit":"CNY","decimals":"2","approximate":false},"reasons":[{"kind":"policy-change","policyChange":"CAS-INTERP-16"}],"document":"688083.SH/AR2023","location":{"section":"第十节 财务报告 五、 重要会计政策及会计估计 40. 重要会计政策和会计估计的变更 (1). 重要会计政策变更","table":"执行上述会计政策对2022年12月31日合并资产负债表和2022年度合并利润表的影响如下 合并资产负债表项目 (2022年12月31日)","row":"递延所得税资产","column":"调整后","line":5432}}]}],"currentPeriodEffects":[{"figure":"688083.SH|DeferredTaxAssets|2023-12-31|consolidated","concept":"DeferredTaxAssets","label":"递延所得税资产","period":"2023-12-31","scope":"consolidated","dimensions":"","adjustment":{"value":"205566.29","unit":"CNY","decimals":"2","approximate":false},"adjustmentPrinted":true,"reasons":[],"document":"688083.SH/AR2023","location":{"section":"第十节 财务报告 五、 重要会计政策及会计估计 40. 重要会计政策和会计估计的变更 (1). 重要会计政策变更","table":"执行上述会计政策对2023年12月31日合并资产负债表和2023年度合并利润表的影响如下 合并资产负债表项目 (2023年12月31日)","row":"递延所得税资产","column":"影响金额","line":5422}}],"identities":[{"name":"balance-sheet-balances","period":"2021-12-31","scope":"consolidated","statement":"Δ assets − Δ liabilities − Δ equity components = 0","holds":true,"verdict":"consistent","computed":"0","expected":"0","difference":"0","gap":"0","figures":["688083.SH|DeferredTaxAssets|2021-12-31|consolidated","688083.SH|DeferredTaxLiabilities|2021-12-31|consolidated","688083.SH|StatutorySurplusReserve|2021-12-31|consolidated","688083.SH|RetainedEarnings|2021-12-31|consolidated"]}],"allIdentitiesHold":false}""")]
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
