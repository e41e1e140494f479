using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Figures;

/// <summary>Every step of a figure's history in knowledge order, with the ledger's own transcription fixes kept apart.</summary>
public static class FigureHistoryEndpoint
{
    public static IResult Validate(string concept, string period, string? dims, string? asOf, ConceptCatalog catalog) =>
        FigureLookup.Validate(concept, period, dims, asOf, catalog);

    public static Task<(FigureHistory? History, IResult Problem)> LoadAsync(string entity, string concept, string period, string? scope, string? dims,
        bool? opening, IQuerySession session, EntityCalendars calendars, CancellationToken ct) =>
        FigureLookup.LoadAsync(entity, concept, period, scope, dims, opening, session, calendars, ct);

    [EndpointSummary("A figure's audit history in knowledge order (publication date, then document): value, previous value, delta, reasons, document, published date (or unknown), recorded time and recorder.")]
    [ResponseExample("""{"figure":"688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated","entries":[{"kind":"disclosed","value":{"value":"6301756.6","unit":"CNY","decimals":"2"},"document":{"id":"688083.SH/AR2022","publishedOnUnknown":true,"knownNoLaterThan":"2024-04-26"}},{"kind":"restated","value":{"value":"6003513.77","unit":"CNY","decimals":"2"},"delta":"-298242.83","reasons":[{"kind":"policy-change","policyChange":"CAS-INTERP-16"}],"document":{"id":"688083.SH/AR2023","publishedOn":"2024-04-26","publishedOnUnknown":false}}],"transcriptionCorrections":[]}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/figures/{concept}/{period}/history")]
    [Authorize(Policy = Policies.Read)]
    public static HistoryView Get(string? asOf, FigureHistory history)
    {
        var timeline = PointInTimeView.Of(history, AsOf.Of(asOf))?.Timeline ?? [];
        return new HistoryView(history.Id, asOf,
            timeline.Select(t => new HistoryEntryView(t.Kind, ValueView.Of(t.Value)!, t.Printed, ValueView.Of(t.Previous),
                t.Delta is { } d ? Amount.Format(d) : null, t.Reasons, t.BeforeDisagreesWithLedger, DocumentView.Of(t), t.Location,
                RecordingView.Of(t.Recording), t.CitedBy)).ToList(),
            history.Corrections.Select(c => new CorrectionView(c.DocumentId, c.Previous.Select(v => ValueView.Of(v.Value)!).ToList(),
                c.Corrected.Select(v => ValueView.Of(v.Value)!).ToList(), c.Reason, RecordingView.Of(c.Recording))).ToList());
    }
}
