using Ledger.Api.Entities;
using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Api.PolicyChanges;
using Ledger.Api.Security;
using Ledger.Domain.Checks;
using Ledger.Domain.Events;
using Ledger.Domain.NonGaap;
using Ledger.Domain.Values;
using Ledger.Projections.Entities;
using Ledger.Projections.NonGaap;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.NonGaap;

public sealed record CheckView(string Verdict, string? Expected, string? Gap, string? Detail = null)
{
    public static CheckView? Of((Verdict Verdict, decimal? Expected, decimal Gap)? c) =>
        c is { } t ? new(Verdicts.Kebab(t.Verdict), t.Expected is { } e ? Amount.Format(e) : null, Amount.Format(t.Gap)) : null;

    public static CheckView? Of(StartAgainstLedger? start) => start switch
    {
        null => null,
        { Known: { } known, Verdict: { } verdict } => new(Verdicts.Kebab(verdict), known.ValueText, null, $"against {start.Figure} in the ledger"),
        _ => new("indeterminate", null, null, $"the ledger holds no {start.Figure}"),
    };
}

public sealed record ReconciliationLineView(string Label, string? Concept, ValueView Value, string? Printed, CheckView? Translation);

public sealed record ReconciliationView(
    string Dimensions, DocumentView Document, Location Location, string Unit,
    ReconciliationLineView Start, IReadOnlyList<ReconciliationLineView> Adjustments, ReconciliationLineView Total,
    string? RecomputedTotal, string? ReportedTotal, string Verdict, string? Difference, string Gap, CheckView? StartAgainstLedger)
{
    public static ReconciliationView Of(CheckedReconciliation r)
    {
        var (e, source) = (r.Entry, r.Source);
        ReconciliationLineView Line(ReconciliationLine line, ReconciliationLine? sourceLine) =>
            new(line.Label, line.Concept, ValueView.Of(line.Value.Value)!, line.Value.Printed, CheckView.Of(r.Translation(line, sourceLine)));
        var c = e.Check;
        return new ReconciliationView(r.Dimensions, DocumentView.Of(e.Document), e.Location, e.Unit,
            Line(e.Start, source?.Start),
            e.Adjustments.Select((a, i) => Line(a, source?.Adjustments[i])).ToList(),
            Line(e.Total, source?.Total),
            c.Computed is { } x ? Amount.Format(x) : null, c.Reported is { } y ? Amount.Format(y) : null,
            Verdicts.Kebab(c.Verdict), c.Difference is { } d ? Amount.Format(d) : null, Amount.Format(c.Gap), CheckView.Of(r.Start));
    }
}

/// <summary>Every reconciliation of a non-GAAP measure for a period: the lines as printed, the recomputed and reported totals, verdicts.</summary>
public sealed record NonGaapResponse(string Entity, string Measure, string Period, IReadOnlyList<ReconciliationView> Reconciliations);

public static class NonGaapEndpoints
{
    public static IResult Validate(string period) => PeriodInput.IsValid(period) ? WolverineContinue.Result() : Problems.BadPeriod(period);

    /// <summary>The measure's reconciliations for the period: a 404 for an unknown entity, or when no document reconciles it.</summary>
    public static async Task<(NonGaapReconciliations? Reconciliations, IResult Problem)> LoadAsync(string entity, string measure, string period,
        IQuerySession session, CancellationToken ct)
    {
        if (await KnownEntity.LoadAsync(entity, session, ct) is not (EntityProfile profile, _)) return (null, Problems.UnknownEntity(entity));
        var p = PeriodInput.Resolve(profile, period);
        var views = await session.Query<NonGaapReconciliationView>()
            .Where(v => v.Entity == entity && v.Measure == measure && v.Period == p.Id).ToListAsync(ct);
        return views.Count == 0
            ? (null, Problems.NotFound($"No document in the ledger reconciles {measure} for {p.Id} of {entity}."))
            : (new NonGaapReconciliations(p, views), WolverineContinue.Result());
    }

    [EndpointSummary("Every reconciliation of a non-GAAP measure for a period: the GAAP start (checked against the ledger), each adjustment as printed, the recomputed and reported totals, and the verdict; translated columns checked against the document's rate.")]
    [ResponseExample("""{"entity":"0020.HK","measure":"AdjustedEbitda","period":"FY2023","reconciliations":[{"dimensions":"","document":{"id":"0020.HK/AR2023","publishedOn":"2024-03-26","publishedOnUnknown":false},"location":{"section":"非國際財務報告準則計量","table":"年度除所得稅前虧損與EBITDA╱經調整EBITDA的對賬","column":"截至12月31日止年度 2023年 人民幣百萬元","line":642},"unit":"CNY","start":{"label":"EBITDA","concept":"Ebitda","value":{"value":"-5449600000","unit":"CNY","decimals":"-5","approximate":false},"printed":"(5,449.6)"},"adjustments":[{"label":"加：優先股及其他金融負債的公允價值虧損","concept":"GainsLossesOnPreferredSharesAndOtherFinancialLiabilitiesAtFairValue","value":{"value":"32100000","unit":"CNY","decimals":"-5","approximate":false},"printed":"32.1"},{"label":"以股份為基礎的薪酬開支","concept":"ShareBasedPaymentExpense","value":{"value":"324000000","unit":"CNY","decimals":"-5","approximate":false},"printed":"324.0"},{"label":"按公允價值計量且變動計入損益的金融資產的公允價值虧損","concept":"GainsLossesOnFinancialAssetsAtFairValueThroughProfitOrLoss","value":{"value":"724400000","unit":"CNY","decimals":"-5","approximate":false},"printed":"724.4"}],"total":{"label":"經調整EBITDA","value":{"value":"-4369000000","unit":"CNY","decimals":"-5","approximate":false},"printed":"(4,369.0)"},"recomputedTotal":"-4369100000","reportedTotal":"-4369000000","verdict":"consistent-within-rounding","difference":"-100000","gap":"0","startAgainstLedger":{"verdict":"consistent-within-rounding","expected":"-5449554000","detail":"against 0020.HK|Ebitda|FY2023|consolidated in the ledger"}}]}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/non-gaap/{measure}/{period}")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<NonGaapResponse> Get(string entity, string measure, NonGaapReconciliations reconciliations,
        IQuerySession session, CancellationToken ct)
    {
        var checkedOnes = await NonGaapReconciliationChecks.CheckAsync(session, entity, reconciliations.Period.Id, reconciliations.Views, ct);
        return new NonGaapResponse(entity, measure, reconciliations.Period.Id, checkedOnes.Select(ReconciliationView.Of).ToList());
    }

}

/// <summary>The period a route names, as the entity's figures are keyed, and the measure's reconciliations for it.</summary>
public sealed record NonGaapReconciliations(Period Period, IReadOnlyList<NonGaapReconciliationView> Views);
