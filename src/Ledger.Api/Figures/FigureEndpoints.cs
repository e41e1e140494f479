using System.Globalization;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.History;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Ledger.Api.Http;
using Ledger.Projections.Entities;

namespace Ledger.Api.Figures;

/// <summary>
/// A value on the wire: money travels as a string, with its unit and decimals beside it; <c>lowerBound</c>
/// appears (true) only for a printed "more than".
/// </summary>
public sealed record ValueView(string? Value, string Unit, string? Decimals, string? Nil, bool Approximate, bool? LowerBound = null)
{
    public static ValueView? Of(Amount? a) => a is null ? null : new(
        a.ValueText, a.Unit, a.Decimals?.ToString(CultureInfo.InvariantCulture) ?? (a.IsNil ? null : "INF"),
        a.Nil switch { NilKind.Nil => "nil", NilKind.NotApplicable => "not-applicable", _ => null }, a.Approximate, a.LowerBound ? true : null);
}

public sealed record DocumentView(string Id, string? PublishedOn, bool PublishedOnUnknown, string? KnownNoLaterThan)
{
    public static DocumentView Of(string id, DateOnly? publishedOn, DateOnly? knownNoLaterThan = null) =>
        new(id, Date(publishedOn), publishedOn is null, Date(knownNoLaterThan));

    public static DocumentView Of(DocumentRef d) => Of(d.Id, d.PublishedOn, d.KnownNoLaterThan);

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record FigureView(
    string Figure, string Entity, string Concept, string Period, string Scope, string Dimensions, string? AsOf,
    ValueView? Current, ValueView? Original, bool Restated, DocumentView? LastChangedBy, DocumentView? FirstReportedIn,
    IReadOnlyList<RestatementReason> LastReasons);

public sealed record HistoryEntryView(
    string Kind, ValueView Value, string? Printed, ValueView? Previous, string? Delta, IReadOnlyList<RestatementReason> Reasons,
    bool BeforeDisagreesWithLedger, DocumentView Document, Location Location, RecordingView Recording, string? CitedBy);

/// <summary>Who recorded a step (the API key's name), when, why, and under which request.</summary>
public sealed record RecordingView(string RecordedBy, DateTimeOffset RecordedAt, string Reason, string? CorrelationId)
{
    public static RecordingView Of(Recording r) => new(r.RecordedBy, r.RecordedAt, r.Reason, r.CorrelationId);
}

public sealed record CorrectionView(string DocumentId, IReadOnlyList<ValueView> Previous, IReadOnlyList<ValueView> Corrected, string Reason, RecordingView Recording);

public sealed record HistoryView(string Figure, string? AsOf, IReadOnlyList<HistoryEntryView> Entries, IReadOnlyList<CorrectionView> TranscriptionCorrections);

public static class FigureEndpoints
{
    [WolverineGet("/api/entities")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Entities(int? limit, string? cursor, IDocumentStore store, HttpContext http, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, Paging.DefaultPage, out var take, out var after, out var problem)) return problem!;
        await using var session = store.QuerySession();
        // The list stays a JSON array (its first clients read it so); the next page is in the Link header.
        var page = Paging.Of(await session.Query<EntityProfile>().ToListAsync(ct), p => p.Entity, take, after);
        Paging.LinkNext(http, page.NextCursor);
        return Results.Json(page.Items.Select(p => new
        {
            id = p.Entity, names = p.Names, standard = p.Standard, currency = p.Currency,
            policyChanges = p.PolicyChanges.Select(c => new { id = c.PolicyChange, c.Title, effectiveFrom = c.EffectiveFrom, document = c.Document.Id }),
        }), Problems.Json);
    }

    /// <summary>One figure: its current (or as-of) value, its original value, whether it was restated and by what.</summary>
    [WolverineGet("/api/entities/{entity}/figures/{concept}/{period}")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Figure(string entity, string concept, string period, string? scope, string? dims, string? asOf, bool? opening,
        IDocumentStore store, ConceptCatalog catalog, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var (history, asOfDate, problem) = await Load(entity, concept, period, scope, dims, asOf, opening, session, catalog, ct);
        if (problem is not null || history is null) return problem!;
        var state = PointInTimeView.Of(history, asOfDate);
        return state is null
            ? Problems.NotFound($"{history.Id} was not yet reported on {asOf}.")
            : Results.Json(ViewOf(state, asOf), Problems.Json);
    }

    internal static FigureView ViewOf(FigureState s, string? asOf) =>
        new(s.Figure.Id, s.Figure.Entity, s.Figure.Concept, s.Figure.Period, s.Figure.Scope, s.Figure.Dimensions, asOf,
            ValueView.Of(s.Value), ValueView.Of(s.Original), s.Restated, DocumentOf(s.LastChange), DocumentOf(s.First), s.LastChange.Reasons);

    /// <summary>Every step of a figure's history in knowledge order, with the ledger's own transcription fixes kept apart.</summary>
    [WolverineGet("/api/entities/{entity}/figures/{concept}/{period}/history")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> History(string entity, string concept, string period, string? scope, string? dims, string? asOf, bool? opening,
        IDocumentStore store, ConceptCatalog catalog, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var (history, asOfDate, problem) = await Load(entity, concept, period, scope, dims, asOf, opening, session, catalog, ct);
        if (problem is not null || history is null) return problem!;
        var timeline = PointInTimeView.Of(history, asOfDate)?.Timeline ?? [];
        return Results.Json(new HistoryView(history.Id, asOf,
            timeline.Select(t => new HistoryEntryView(t.Kind, ValueView.Of(t.Value)!, t.Printed, ValueView.Of(t.Previous),
                t.Delta is { } d ? Amount.Format(d) : null, t.Reasons, t.BeforeDisagreesWithLedger, DocumentOf(t), t.Location,
                RecordingView.Of(t.Recording), t.CitedBy)).ToList(),
            history.Corrections.Select(c => new CorrectionView(c.DocumentId, c.Previous.Select(v => ValueView.Of(v.Value)!).ToList(),
                c.Corrected.Select(v => ValueView.Of(v.Value)!).ToList(), c.Reason, RecordingView.Of(c.Recording))).ToList()),
            Problems.Json);
    }

    internal static DocumentView DocumentOf(TimelineEntry t) =>
        DocumentView.Of(t.DocumentId, t.PublishedOn, t.KnownNoLaterThan);

    internal static bool TryParseAsOf(string? asOf, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(asOf)) return true;
        if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }

    private static async Task<(FigureHistory? History, DateOnly? AsOf, IResult? Problem)> Load(
        string entity, string concept, string period, string? scope, string? dims, string? asOf, bool? opening,
        IQuerySession session, ConceptCatalog catalog, CancellationToken ct)
    {
        if (!TryParseAsOf(asOf, out var asOfDate)) return (null, null, Problems.BadAsOf(asOf));
        if (!Period.TryParse(period, out var p)) return (null, null, Problems.BadPeriod(period));
        // "As at 1 January 2022" is stored as the instant 2021-12-31; the response's period says which was used.
        if (opening == true && p.Type == PeriodType.Instant) p = Period.OpeningBalance(p.Start);
        if (!catalog.TryGet(concept, out _)) return (null, null, Problems.NotFound($"Concept '{concept}' is not in the catalog."));
        IReadOnlyDictionary<string, string> dimensions;
        try { dimensions = FigureKey.ParseDimensions(dims); }
        catch (FormatException e) { return (null, null, Problems.BadRequest("dims", e.Message)); }
        if (await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is null)
            return (null, null, Problems.UnknownEntity(entity));
        var key = new FigureKey(entity, concept, p.Id, scope ?? Scopes.Consolidated, dimensions).ToString();
        var history = await FigureReads.LoadAsync(session, key, ct);
        return history is null
            ? (null, null, Problems.NotFound($"No document in the ledger reports {key}."))
            : (history, asOfDate, null);
    }
}
