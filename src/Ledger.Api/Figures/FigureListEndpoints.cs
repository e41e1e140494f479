using Ledger.Api.Entities;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Marten;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Figures;

public sealed record AsReportedView(
    string Figure, string Concept, string Period, string Scope, string Dimensions, ValueView Value, string? Printed,
    DocumentView Document, string? CitedBy, bool TranscriptionCorrected, Location Location)
{
    public static AsReportedView Of(AsReportedFigure f) => new(f.Figure, f.Concept, f.Period, f.Scope, f.Dimensions, ValueView.Of(f.Value.Value)!, f.Value.Printed,
        DocumentView.Of(f.DocumentId, f.PublishedOn, f.KnownNoLaterThan), f.CitedBy, f.TranscriptionCorrected, f.Location);
}

/// <summary>
/// A page of an entity's figures, one of two shapes as <c>view</c> chooses. Declared as a choice so that the description
/// names both (the answer is always one of them, written as its own type: no type member is added).
/// </summary>
[JsonDerivedType(typeof(CurrentFiguresResponse))]
[JsonDerivedType(typeof(AsReportedFiguresResponse))]
public abstract record FiguresPage;

/// <summary>A page of an entity's figures, current or as known on <c>asOf</c>.</summary>
public sealed record CurrentFiguresResponse(string Entity, string View, string? AsOf, string? Period, IReadOnlyList<FigureView> Figures, string? NextCursor) : FiguresPage;

/// <summary>A page of an entity's figures as each document reported them.</summary>
public sealed record AsReportedFiguresResponse(string Entity, string View, string? AsOf, string? Period, string? Document, string? NextCursor,
    IReadOnlyList<AsReportedView> Figures) : FiguresPage;

/// <summary>An entity's figures, a page at a time: current (or as of a date), or as each document reported them.</summary>
public static class FigureListEndpoints
{
    public static IResult Validate(string? period, string? view, string? asOf, string? document, int? limit, string? cursor)
    {
        if (!AsOf.TryParse(asOf, out _)) return Problems.BadAsOf(asOf);
        if (Paging.Validate(limit, cursor) is var paging and not WolverineContinue) return paging;
        if (period is not null && !PeriodInput.IsValid(period)) return Problems.BadPeriod(period);
        if (ViewOf(view, document) is not ("current" or "as-reported")) return Problems.BadRequest("view", "must be current or as-reported");
        if (document is not null && ViewOf(view, document) == "current") return Problems.BadRequest("document", "filters the as-reported view only (view=as-reported)");
        return WolverineContinue.Result();
    }

    public static Task<(EntityProfile? Profile, IResult Problem)> LoadAsync(string entity, IQuerySession session, CancellationToken ct) =>
        KnownEntity.LoadAsync(entity, session, ct);

    [EndpointSummary("An entity's figures: view=current (optionally asOf a date) or view=as-reported (optionally one document); period filters.")]
    [ResponseExample("""{"entity":"3896.HK","view":"current","period":"FY2024","figures":[{"figure":"3896.HK|ProfitLoss|FY2024|consolidated","entity":"3896.HK","concept":"ProfitLoss","period":"FY2024","scope":"consolidated","dimensions":"","current":{"value":"-1979042000","unit":"CNY","decimals":"-3","approximate":false},"original":{"value":"-1979042000","unit":"CNY","decimals":"-3","approximate":false},"restated":false,"lastChangedBy":{"id":"3896.HK/PR2024","publishedOn":"2025-03-19","publishedOnUnknown":false},"firstReportedIn":{"id":"3896.HK/PR2024","publishedOn":"2025-03-19","publishedOnUnknown":false},"lastReasons":[]}]}""")]
    [ProducesResponseType<FiguresPage>(StatusCodes.Status200OK, "application/json")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/figures")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Get(string entity, string? period, string? view, string? asOf, string? document, int? limit, string? cursor,
        EntityProfile profile, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var asOfDate = AsOf.Of(asOf);
        period = period is null ? null : PeriodInput.Resolve(profile, period).Id;
        var (take, after) = Paging.Read(limit, cursor);
        var shown = ViewOf(view, document);
        if (shown == "current")
        {
            var page = await Paging.ReadAsync<FigureHistory, FigureState>(
                async (last, count) => await FigureReads.LoadManyAsync(session, await FigureReads.FigureKeysAsync(session, entity, period, last, count, ct), ct),
                f => f.Id, f => PointInTimeView.Of(f, asOfDate), take, after);
            Paging.LinkNext(http, page.NextCursor);
            return Results.Json(new CurrentFiguresResponse(entity, shown, asOf, period, page.Items.Select(s => FigureView.Of(s, asOf)).ToList(), page.NextCursor), Problems.Json);
        }

        // As known on asOf: a document counts once published; one of unknown date once its period has ended.
        var reportedPage = await Paging.ReadAsync<AsReportedFigure, AsReportedFigure>(
            (last, count) => FigureReads.AsReportedAsync(session, entity, period, document, last, count, ct), f => f.Id,
            f => asOfDate is not { } d || f.KnownOn(d) ? f : null, take, after);
        // Not a Load step: a document the ledger knows only by what later ones cite of it (调整前) has figures but no
        // record of its own, so a document is unknown only where it has neither, which only an empty first page can say.
        if (document is not null && reportedPage.Items.Count == 0 && after is null && await session.LoadAsync<DocumentSummary>(StreamKeys.Document(document), ct) is null)
            return Problems.NotFound($"Document '{document}' is not in the ledger.");
        Paging.LinkNext(http, reportedPage.NextCursor);
        return Results.Json(new AsReportedFiguresResponse(entity, shown, asOf, period, document, reportedPage.NextCursor,
            reportedPage.Items.Select(AsReportedView.Of).ToList()), Problems.Json);
    }

    private static string ViewOf(string? view, string? document) => view ?? (document is null ? "current" : "as-reported");
}
