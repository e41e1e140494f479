using System.Text;
using System.Text.Json;
using Ledger.Api.Entities;
using Ledger.Api.Figures;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Concepts;
using Ledger.Domain.Documents;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Exports;

public static class ExportEndpoints
{
    public static IResult Validate(string? format, string? view, string? asOf, string? language, ConceptCatalog catalog) =>
        format is not (null or "xbrl-json" or "csv") ? Problems.BadRequest("format", "must be xbrl-json or csv")
        : view is not (null or "current" or "as-reported") ? Problems.BadRequest("view", "must be current or as-reported")
        : !AsOf.TryParse(asOf, out _) ? Problems.BadAsOf(asOf)
        : !catalog.IsLabelLanguage(language) ? Problems.BadLanguage(language, catalog)
        : WolverineContinue.Result();

    public static Task<(EntityProfile? Profile, IResult Problem)> LoadAsync(string entity, IQuerySession session, CancellationToken ct) =>
        KnownEntity.LoadAsync(entity, session, ct);

    /// <summary>
    /// An entity's figures as xBRL-JSON or CSV: the current view (optionally as of a date) or every document's own values.
    /// The as-reported xBRL-JSON also defines the entity and its documents (<see cref="ReportContents"/>), so that
    /// <c>POST /api/imports/xbrl-json</c> records the same documents in another ledger.
    /// </summary>
    [EndpointSummary("An entity's figures for other tools: format=xbrl-json (Open Information Model; IFRS element names where the concept is one, ledger: extensions otherwise; superseded values on the IFRS restatement axis as previously stated) or format=csv (a header row, one fact per line); view=current (optionally asOf a date) or view=as-reported (each document's own values, on ledger:ReportedIn).")]
    [ResponseExample("""{"documentInfo":{"documentType":"https://xbrl.org/2021/xbrl-json","namespaces":{"ifrs-full":"https://xbrl.ifrs.org/taxonomy/2025-03-27/ifrs-full","iso4217":"http://www.xbrl.org/2003/iso4217","xbrli":"http://www.xbrl.org/2003/instance","ledger":"urn:ledger:concepts","ticker":"urn:ledger:entity:exchange-ticker"},"ledger:view":"current"},"facts":{"f1":{"value":"6003513.77","decimals":2,"dimensions":{"concept":"ifrs-full:ProfitLossAttributableToOwnersOfParent","entity":"ticker:688083.SH","period":"2022-01-01T00:00:00/2023-01-01T00:00:00","unit":"iso4217:CNY"}},"f2":{"value":"6301756.6","decimals":2,"dimensions":{"concept":"ifrs-full:ProfitLossAttributableToOwnersOfParent","entity":"ticker:688083.SH","period":"2022-01-01T00:00:00/2023-01-01T00:00:00","unit":"iso4217:CNY","ifrs-full:RetrospectiveApplicationAndRetrospectiveRestatementAxis":"ifrs-full:PreviouslyStatedMember"}}}}""")]
    [ProblemAnswers(400, 404)]
    [WolverineGet("/api/entities/{entity}/export")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IResult> Export(string entity, string? format, string? view, string? asOf, string? language,
        EntityProfile profile, IQuerySession session, ConceptCatalog catalog, CancellationToken ct)
    {
        // A file, CSV or xBRL-JSON as format says: no one response record describes both.
        format ??= "xbrl-json";
        view ??= "current";
        var asOfDate = AsOf.Of(asOf);
        var facts = view == "current"
            ? CurrentFacts(await FigureReads.OfEntityAsync(session, entity, null, ct), asOfDate)
            : (await FigureReads.AsReportedAsync(session, entity, null, null, "", null, ct))
                .Where(f => asOfDate is not { } d || f.KnownOn(d))
                .Select(f => new ExportFact(FigureKey.Parse(f.Figure), f.Value.Value, ExportFact.AsReported, f.DocumentId, f.PublishedOn,
                    f.Value.Printed, f.Value.Scale, f.CitedBy, f.Location,
                    f is { Restatement: { } r, RestatedFrom: { } from } ? new ExportRestatement(r, from, r.Value == f.Value && r.Location == f.Location) : null));
        var ordered = facts.OrderBy(f => f.Figure.ToString(), StringComparer.Ordinal).ThenBy(f => f.Status, StringComparer.Ordinal)
            .ThenBy(f => f.DocumentId, StringComparer.Ordinal).ToList();

        var name = $"{entity}-{view}{(asOf is null ? "" : $"-{asOf}")}";
        if (format == "csv")
            return Results.File(Encoding.UTF8.GetBytes(Csv.Write(ordered, catalog, ConceptCatalog.LabelLanguage(language))), "text/csv; charset=utf-8", $"{name}.csv");
        var contents = view == "as-reported" ? new ReportContents(profile, await DocumentsAsync(session, entity, ct), asOfDate) : null;
        return Results.File(JsonSerializer.SerializeToUtf8Bytes(XbrlJson.Write(entity, view, asOf, ordered, catalog, contents), Problems.Json), "application/json", $"{name}.json");
    }

    /// <summary>The entity's recorded documents, as their DocumentRecorded events say (the amended filing is said nowhere else).</summary>
    private static async Task<IReadOnlyList<ExportedDocument>> DocumentsAsync(IQuerySession session, string entity, CancellationToken ct) =>
        (await session.Events.QueryRawEventDataOnly<DocumentRecorded>().Where(r => r.Entity == entity).ToListAsync(ct))
            .Select(ExportedDocument.Of)
            .ToList();

    /// <summary>Each figure's value as known then, and, where it was restated, the value it superseded.</summary>
    private static IEnumerable<ExportFact> CurrentFacts(IEnumerable<FigureHistory> figures, DateOnly? asOf)
    {
        foreach (var state in figures.Select(f => PointInTimeView.Of(f, asOf)).OfType<FigureState>())
        {
            var key = FigureKey.Parse(state.Figure.Id);
            var last = state.LastChange;
            // The document that stated the value shown (after a re-presentation, the more precise one), not the last change.
            yield return new ExportFact(key, state.Value, ExportFact.Current, state.ValueFrom.DocumentId, state.ValueFrom.PublishedOn);
            if (last.Kind is EntryKinds.Restated or EntryKinds.ChangedWithoutRestatement && last.Previous is { } previous)
            {
                var before = state.Timeline.TakeWhile(t => !ReferenceEquals(t, last)).LastOrDefault();
                yield return new ExportFact(key, previous, ExportFact.PreviouslyStated, before?.DocumentId, before?.PublishedOn);
            }
        }
    }
}
