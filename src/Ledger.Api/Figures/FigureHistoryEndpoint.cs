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
