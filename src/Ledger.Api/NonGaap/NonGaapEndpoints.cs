using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Api.PolicyChanges;
using Ledger.Api.Security;
using Ledger.Domain.Checks;
using Ledger.Domain.Events;
using Ledger.Domain.NonGaap;
using Ledger.Domain.Values;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Ledger.Projections.NonGaap;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.NonGaap;

public sealed record CheckView(string Verdict, string? Expected, string? Gap, string? Detail = null);

public sealed record ReconciliationLineView(string Label, string? Concept, ValueView Value, string? Printed, CheckView? Translation);

public sealed record ReconciliationView(
    string Dimensions, DocumentView Document, Location Location, string Unit,
    ReconciliationLineView Start, IReadOnlyList<ReconciliationLineView> Adjustments, ReconciliationLineView Total,
    string? RecomputedTotal, string? ReportedTotal, string Verdict, string? Difference, string Gap, CheckView? StartAgainstLedger);

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
        var (p, views) = (reconciliations.Period, reconciliations.Views);
        var entries = views.SelectMany(v => v.Reconciliations.Select(r => (View: v, Entry: r))).ToList();
        var startKeys = entries.Where(e => e.Entry.Start.Concept is not null)
            .Select(e => new FigureKey(entity, e.Entry.Start.Concept!, p.Id, Scopes.Consolidated, FigureKey.ParseDimensions(e.View.Dimensions)).ToString())
            .Distinct().ToArray();
        var ledger = (await FigureReads.LoadManyAsync(session, startKeys, ct)).ToDictionary(h => h.Id, StringComparer.Ordinal);
        var documents = (await session.LoadManyAsync<DocumentSummary>(ct, entries.Select(e => StreamKeys.Document(e.Entry.Document.Id)).Distinct().ToArray()))
            .ToDictionary(d => d.DocumentId, StringComparer.Ordinal);

        var result = entries.Select(e =>
        {
            var dims = FigureKey.ParseDimensions(e.View.Dimensions);
            // A translated column is checked line by line against the same document's source column at its rate.
            ReconciliationEntry? source = null;
            decimal? rate = null;
            if (dims.TryGetValue("translation", out var to) && documents.TryGetValue(e.Entry.Document.Id, out var doc)
                && doc.ConvenienceTranslations.FirstOrDefault(t => t.To == to) is { } translation)
            {
                var sourceDims = FigureKey.FormatDimensions(dims.Where(d => d.Key != "translation").ToDictionary(d => d.Key, d => d.Value));
                source = views.FirstOrDefault(v => v.Dimensions == sourceDims)?.Reconciliations
                    .FirstOrDefault(r => r.Document.Id == e.Entry.Document.Id && r.Adjustments.Count == e.Entry.Adjustments.Count);
                rate = translation.Rate;
            }
            ReconciliationLineView Line(ReconciliationLine line, ReconciliationLine? sourceLine) => new(line.Label, line.Concept, ValueView.Of(line.Value.Value)!, line.Value.Printed,
                sourceLine is null || rate is null ? null : CheckOf(ConvenienceTranslationCheck.Check(sourceLine.Value.Value, rate.Value, line.Value.Value)));

            CheckView? startCheck = null;
            if (e.Entry.Start.Concept is { } concept)
            {
                var key = new FigureKey(entity, concept, p.Id, Scopes.Consolidated, dims).ToString();
                // Against what the same document states for the figure, else what the ledger knew on its date:
                // a later restatement of the GAAP figure does not make an older bridge wrong.
                var known = ledger.TryGetValue(key, out var h)
                    ? h.Statements.Where(s => s.Document.Id == e.Entry.Document.Id && s.Kind != Ledger.Domain.Figures.StatementKinds.Cited)
                          .Select(s => s.Value.Value).OrderByDescending(v => v.Decimals ?? int.MaxValue).FirstOrDefault()
                      ?? (e.Entry.Document.PublishedOn is { } on ? PointInTimeView.Of(h, on)?.Value : h.Current)
                    : null;
                startCheck = known is not null
                    ? new CheckView(Verdicts.Kebab(Calculation.Duplicate(e.Entry.Start.Value.Value, known)), known.ValueText, null, $"against {key} in the ledger")
                    : new CheckView("indeterminate", null, null, $"the ledger holds no {key}");
            }
            var c = e.Entry.Check;
            return new ReconciliationView(e.View.Dimensions,
                DocumentView.Of(e.Entry.Document),
                e.Entry.Location, e.Entry.Unit,
                Line(e.Entry.Start, source?.Start),
                e.Entry.Adjustments.Select((a, i) => Line(a, source?.Adjustments[i])).ToList(),
                Line(e.Entry.Total, source?.Total),
                c.Computed is { } x ? Amount.Format(x) : null, c.Reported is { } y ? Amount.Format(y) : null,
                Verdicts.Kebab(c.Verdict), c.Difference is { } d ? Amount.Format(d) : null, Amount.Format(c.Gap), startCheck);
        }).ToList();

        return new NonGaapResponse(entity, measure, p.Id, result);
    }

    private static CheckView CheckOf((Verdict Verdict, decimal? Expected, decimal Gap) c) =>
        new(Verdicts.Kebab(c.Verdict), c.Expected is { } e ? Amount.Format(e) : null, Amount.Format(c.Gap));
}

/// <summary>The period a route names, as the entity's figures are keyed, and the measure's reconciliations for it.</summary>
public sealed record NonGaapReconciliations(Period Period, IReadOnlyList<NonGaapReconciliationView> Views);
