using System.Globalization;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Ledger.Api.Http;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;

namespace Ledger.Api.Figures;

public sealed record AsReportedView(
    string Figure, string Concept, string Period, string Scope, string Dimensions, ValueView Value, string? Printed,
    DocumentView Document, string? CitedBy, bool TranscriptionCorrected, Location Location);

/// <summary>An entity's figures, a page at a time.</summary>
public static class FigureListEndpoints
{
    /// <summary>An entity's figures: current (or as of a date), or as each document reported them.</summary>
    [WolverineGet("/api/entities/{entity}/figures")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Figures(string entity, string? period, string? view, string? asOf, string? document, int? limit, string? cursor,
        IDocumentStore store, HttpContext http, CancellationToken ct)
    {
        if (!FigureEndpoints.TryParseAsOf(asOf, out var asOfDate)) return Problems.BadAsOf(asOf);
        if (!Paging.TryRead(limit, cursor, Paging.DefaultPage, out var take, out var after, out var pagingProblem)) return pagingProblem!;
        if (period is not null && !Period.TryParse(period, out _)) return Problems.BadPeriod(period);
        view ??= document is null ? "current" : "as-reported";
        if (view is not ("current" or "as-reported")) return Problems.BadRequest("view", "must be current or as-reported");
        await using var session = store.QuerySession();
        if (await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is null) return Problems.UnknownEntity(entity);

        if (view == "current")
        {
            if (document is not null) return Problems.BadRequest("document", "filters the as-reported view only (view=as-reported)");
            var page = await Paging.ReadAsync<FigureHistory, FigureState>(
                async (last, count) => await FigureReads.LoadManyAsync(session, await FigureReads.FigureKeysAsync(session, entity, period, last, count, ct), ct),
                f => f.Id, f => PointInTimeView.Of(f, asOfDate), take, after);
            Paging.LinkNext(http, page.NextCursor);
            return Results.Json(new
            {
                entity, view, asOf, period,
                figures = page.Items.Select(s => FigureEndpoints.ViewOf(s, asOf)),
                nextCursor = page.NextCursor,
            }, Problems.Json);
        }

        // As known on asOf: a document counts once published; one of unknown date once its period has ended.
        var reportedPage = await Paging.ReadAsync<AsReportedFigure, AsReportedFigure>(
            (last, count) => FigureReads.AsReportedAsync(session, entity, period, document, last, count, ct), f => f.Id,
            f => asOfDate is not { } d || f.KnownOn(d) ? f : null, take, after);
        if (document is not null && reportedPage.Items.Count == 0 && after is null && await session.LoadAsync<DocumentSummary>(StreamKeys.Document(document), ct) is null)
            return Problems.NotFound($"Document '{document}' is not in the ledger.");
        Paging.LinkNext(http, reportedPage.NextCursor);
        return Results.Json(new
        {
            entity, view, asOf, period, document,
            nextCursor = reportedPage.NextCursor,
            figures = reportedPage.Items.Select(f => new AsReportedView(f.Figure, f.Concept, f.Period, f.Scope, f.Dimensions, ValueView.Of(f.Value.Value)!, f.Value.Printed,
                DocumentView.Of(f.DocumentId, f.PublishedOn, f.KnownNoLaterThan), f.CitedBy, f.TranscriptionCorrected, f.Location)),
        }, Problems.Json);
    }
}
