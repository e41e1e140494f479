using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Events;
using Ledger.Projections.Documents;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Documents;

/// <summary>A document the ledger holds: what it is, when it was published, what it states, and who recorded it.</summary>
public sealed record DocumentView(string Id, string Entity, string Kind, string Title, string Language, DateOnly PublishedOn, string? Source,
    string? Amends, int Facts, int Restatements, int Reconciliations, int TranscriptionCorrections, DateTimeOffset RecordedAt, string RecordedBy)
{
    public static DocumentView Of(DocumentSummary d) => new(d.DocumentId, d.Entity, d.Kind, d.Title, d.Language, d.PublishedOn, d.Source,
        d.Amends, d.Facts, d.Restatements, d.Reconciliations, d.TranscriptionCorrections, d.RecordedAt, d.RecordedBy);
}

/// <summary>An entity's documents (its reports, announcements, filings) in publication order.</summary>
public static class DocumentListEndpoint
{
    public static Task<(Projections.Entities.EntityProfile? Profile, IResult Problem)> LoadAsync(string entity, IQuerySession session, CancellationToken ct) =>
        KnownEntity.LoadAsync(entity, session, ct);

    [WolverineGet("/api/entities/{entity}/documents")]
    [Authorize(Policy = Policies.Read)]
    public static async Task<IReadOnlyList<DocumentView>> Get(string entity, IQuerySession session, CancellationToken ct) =>
        (await session.Query<DocumentSummary>().Where(d => d.Entity == entity).ToListAsync(ct))
            .OrderBy(d => d.PublishedOn).ThenBy(d => d.DocumentId, StringComparer.Ordinal).Select(DocumentView.Of).ToList();
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

    [WolverineGet("/api/entities/{entity}/documents/{document}")]
    [Authorize(Policy = Policies.Read)]
    public static DocumentView Get(DocumentSummary summary) => DocumentView.Of(summary);
}
