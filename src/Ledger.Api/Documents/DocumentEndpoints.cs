using Ledger.Api.Entities;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Events;
using Ledger.Projections.Documents;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Documents;

/// <summary>A document the ledger holds: what it is, when it was published, what it states, and who recorded it.</summary>
public sealed record DocumentSummaryView(string Id, string Entity, string Kind, string Title, string Language, DateOnly PublishedOn, string? Source,
    string? Amends, int Facts, int Restatements, int Reconciliations, int TranscriptionCorrections, DateTimeOffset RecordedAt, string RecordedBy)
{
    public static DocumentSummaryView Of(DocumentSummary d) => new(d.DocumentId, d.Entity, d.Kind, d.Title, d.Language, d.PublishedOn, d.Source,
        d.Amends, d.Facts, d.Restatements, d.Reconciliations, d.TranscriptionCorrections, d.RecordedAt, d.RecordedBy);
}

/// <summary>An entity's documents (its reports, announcements, filings) in publication order.</summary>
public static class DocumentListEndpoint
{
    public static IResult Validate(int? limit, string? cursor) => Paging.Validate(limit, cursor);

    public static Task<(Projections.Entities.EntityProfile? Profile, IResult Problem)> LoadAsync(string entity, IQuerySession session, CancellationToken ct) =>
        KnownEntity.LoadAsync(entity, session, ct);

    /// <summary>A page of them (an array, like the entity list; the next page in the Link header).</summary>
    [EndpointSummary("An entity's documents in publication order: kind (a report, announcement or SEC form), title, date, source, the filing an amendment amends, counts, who recorded it and when.")]
    [ResponseExample("""[{"id":"CIK0001997711/0001997711-25-000030","entity":"CIK0001997711","kind":"20-F","title":"20-F filed 2025-04-02 (accession 0001997711-25-000030)","language":"en","publishedOn":"2025-04-02","source":"https://www.sec.gov/Archives/edgar/data/1997711/000199771125000030/","facts":398,"restatements":0,"reconciliations":0,"transcriptionCorrections":0,"recordedAt":"2026-12-07T02:15:26.11296+00:00","recordedBy":"generated-writer"}]""")]
    [ProblemAnswers(404)]
    [WolverineGet("/api/entities/{entity}/documents")]
    [ExpensiveRead]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IReadOnlyList<DocumentSummaryView>> Get(string entity, int? limit, string? cursor, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var (take, after) = Paging.Read(limit, cursor);
        var page = Paging.Of(await session.Query<DocumentSummary>().Where(d => d.Entity == entity).ToListAsync(ct),
            d => Paging.Key(d.PublishedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.DocumentId), take, after);
        Paging.LinkNext(http, page.NextCursor);
        return page.Items.Select(DocumentSummaryView.Of).ToList();
    }
}

/// <summary>
/// One document by its id under the entity: <c>/api/entities/CIK0001640147/documents/0001640147-24-000101</c> is
/// <c>CIK0001640147/0001640147-24-000101</c>.
/// </summary>
public static class DocumentEndpoint
{
    public static async Task<(DocumentSummary? Document, IResult Problem)> LoadAsync(string entity, string document, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<DocumentSummary>(StreamKeys.Document($"{entity}/{document}"), ct) is { } summary
            ? (summary, WolverineContinue.Result())
            : (null, Problems.NotFound($"Document '{entity}/{document}' is not in the ledger."));

    [EndpointSummary("One document of the entity, by the part of its id after the entity (/api/entities/CIK0001997711/documents/0001641172-25-002932).")]
    [ResponseExample("""{"id":"CIK0001997711/0001641172-25-002932","entity":"CIK0001997711","kind":"20-F/A","title":"20-F/A filed 2025-04-07 (accession 0001641172-25-002932)","language":"en","publishedOn":"2025-04-07","source":"https://www.sec.gov/Archives/edgar/data/1997711/000164117225002932/","amends":"CIK0001997711/0001997711-25-000030","facts":1,"restatements":0,"reconciliations":0,"transcriptionCorrections":0,"recordedAt":"2026-12-07T02:15:26.11296+00:00","recordedBy":"generated-writer"}""")]
    [ProblemAnswers(404)]
    [WolverineGet("/api/entities/{entity}/documents/{document}")]
    [Authorize(Policy = Policies.Read)]
    public static DocumentSummaryView Get(DocumentSummary summary) => DocumentSummaryView.Of(summary);
}
