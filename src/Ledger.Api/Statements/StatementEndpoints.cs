using System.Globalization;
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
using Ledger.Projections.Statements;

namespace Ledger.Api.Statements;

public sealed record StatementLineView(
    string Figure, string Concept, string Label, string Period, string Scope, string Dimensions, string? Table, string? Row,
    ValueView Current, ValueView? AsOriginallyReported, bool Restated, DocumentView CurrentFrom, DocumentView OriginallyReportedIn,
    IReadOnlyList<RestatementReason> Reasons);

public static class StatementEndpoints
{
    /// <summary>An entity's period laid out like the report, current beside as originally reported (调整后 / 调整前).</summary>
    [WolverineGet("/api/entities/{entity}/statements/{period}")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Statement(string entity, string period, string? asOf, string? language,
        IDocumentStore store, Ledger.Domain.Concepts.ConceptCatalog catalog, CancellationToken ct)
    {
        if (!FigureEndpoints.TryParseAsOf(asOf, out var asOfDate)) return Problems.BadAsOf(asOf);
        if (!Period.TryParse(period, out var p)) return Problems.BadPeriod(period);
        await using var session = store.QuerySession();
        if (await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is null) return Problems.UnknownEntity(entity);
        var ids = new[] { p.Id, Period.Instant(p.End).Id };
        var figures = await FigureReads.OfEntityAsync(session, entity, ids, ct);
        var lines = StatementView.Build(figures, p, asOfDate);
        if (lines.Count == 0) return Problems.NotFound($"The ledger holds no figures of {entity} for {p.Id}{(asOf is null ? "" : $" as known on {asOf}")}.");
        return Results.Json(new
        {
            entity, period = p.Id, asOf,
            lines = lines.Select(l => new StatementLineView(l.Figure, l.Concept,
                catalog.TryGet(l.Concept, out var c) ? c.Label(language ?? "zh-Hans") : l.Concept,
                l.Period, l.Scope, l.Dimensions, l.Table, l.Row,
                ValueView.Of(l.Current)!, ValueView.Of(l.AsOriginallyReported), l.Restated,
                DocumentView.Of(l.CurrentFrom, l.CurrentPublishedOn),
                new DocumentView(l.OriginallyReportedIn, null, l.OriginalPublishedOnUnknown, null), l.Reasons)),
        }, Problems.Json);
    }
}
