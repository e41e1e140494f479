using System.Text;
using System.Text.Json;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.History;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Projections.Entities;

namespace Ledger.Api.Exports;

public static class ExportEndpoints
{
    /// <summary>An entity's figures as xBRL-JSON or CSV: the current view (optionally as of a date) or every document's own values.</summary>
    [WolverineGet("/api/entities/{entity}/export")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Export(string entity, string? format, string? view, string? asOf, string? language,
        IDocumentStore store, ConceptCatalog catalog, CancellationToken ct)
    {
        format ??= "xbrl-json";
        view ??= "current";
        if (format is not ("xbrl-json" or "csv")) return Problems.BadRequest("format", "must be xbrl-json or csv");
        if (view is not ("current" or "as-reported")) return Problems.BadRequest("view", "must be current or as-reported");
        if (!AsOf.TryParse(asOf, out var asOfDate)) return Problems.BadAsOf(asOf);
        await using var session = store.QuerySession();
        if (await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct) is null) return Problems.UnknownEntity(entity);

        var facts = view == "current"
            ? CurrentFacts(await FigureReads.OfEntityAsync(session, entity, null, ct), asOfDate)
            : (await FigureReads.AsReportedAsync(session, entity, null, null, "", null, ct))
                .Where(f => asOfDate is not { } d || f.KnownOn(d))
                .Select(f => new ExportFact(FigureKey.Parse(f.Figure), f.Value.Value, ExportFact.AsReported, f.DocumentId, f.PublishedOn));
        var ordered = facts.OrderBy(f => f.Figure.ToString(), StringComparer.Ordinal).ThenBy(f => f.Status, StringComparer.Ordinal)
            .ThenBy(f => f.DocumentId, StringComparer.Ordinal).ToList();

        var name = $"{entity}-{view}{(asOf is null ? "" : $"-{asOf}")}";
        return format == "csv"
            ? Results.File(Encoding.UTF8.GetBytes(Csv.Write(ordered, catalog, language ?? "zh-Hans")), "text/csv; charset=utf-8", $"{name}.csv")
            : Results.File(JsonSerializer.SerializeToUtf8Bytes(XbrlJson.Write(entity, view, asOf, ordered, catalog), Problems.Json), "application/json", $"{name}.json");
    }

    /// <summary>Each figure's value as known then, and, where it was restated, the value it superseded.</summary>
    private static IEnumerable<ExportFact> CurrentFacts(IEnumerable<FigureHistory> figures, DateOnly? asOf)
    {
        foreach (var state in figures.Select(f => PointInTimeView.Of(f, asOf)).OfType<FigureState>())
        {
            var key = FigureKey.Parse(state.Figure.Id);
            var last = state.LastChange;
            yield return new ExportFact(key, state.Value, ExportFact.Current, last.DocumentId, last.PublishedOn);
            if (last.Kind is EntryKinds.Restated or EntryKinds.ChangedWithoutRestatement && last.Previous is { } previous)
            {
                var before = state.Timeline.TakeWhile(t => !ReferenceEquals(t, last)).LastOrDefault();
                yield return new ExportFact(key, previous, ExportFact.PreviouslyStated, before?.DocumentId, before?.PublishedOn);
            }
        }
    }
}
