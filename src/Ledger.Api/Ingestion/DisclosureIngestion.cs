using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;
using Marten;

namespace Ledger.Api.Ingestion;

/// <summary>
/// What recording a package shares with the other writes: its limits, its JSON, its write timeout, the ledger's context
/// for a package. The package itself is recorded by <see cref="RecordDisclosurePackageHandler"/>, through the bus.
/// </summary>
public static class DisclosureIngestion
{
    public const int MaxPackageBytes = 32 * 1024 * 1024;

    public static readonly JsonSerializerOptions PackageJson = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>
    /// Events one session writes: a package is written in chunks of this many, each by its own session, all in one
    /// transaction, so that only one chunk's unit of work, serialized events and inline rows are in memory at a time,
    /// whatever the package's size, and the package still lands whole or not at all.
    /// </summary>
    internal const int ChunkEvents = 4_000;

    /// <summary>
    /// A package is one transaction, and the largest legal one (<see cref="PackageReader.MaxFacts"/>) can keep PostgreSQL
    /// busy past Npgsql's default 30 s (its last command also seals every event it wrote): the timeout grows with the
    /// package's facts and restatements, 30 s plus a second per 200 (100,000: 530 s), so that only a stuck database times out.
    /// </summary>
    internal static int WriteTimeoutSeconds(int values) => 30 + values / 200;

    /// <summary>Who recorded the events and why, in Marten's own event metadata too, for tools that read the event store directly.</summary>
    internal static void Describe(IDocumentSession session, Recording recording)
    {
        session.LastModifiedBy = recording.RecordedBy;
        session.CorrelationId = recording.CorrelationId;
        session.SetHeader("reason", recording.Reason);
    }

    /// <summary>What the ledger holds that any of the packages refers to (entities, documents, policy changes), in one read.</summary>
    internal static Task<LedgerContext> ContextFor(IQuerySession session, IReadOnlyList<DisclosurePackage> packages, CancellationToken ct)
    {
        var (entities, documents) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        foreach (var package in packages) AddReferences(package, entities, documents);
        return ContextFor(session, entities, documents, ct);
    }

    /// <summary>The streams of the entities and documents a package refers to (its own entity's included), added to the sets.</summary>
    internal static void AddReferences(DisclosurePackage package, ISet<string> entityStreams, ISet<string> documentStreams)
    {
        foreach (var id in new[] { package.Document?.Entity }.Concat(package.Entities?.Select(e => e?.Id) ?? []))
            if (!string.IsNullOrWhiteSpace(id)) entityStreams.Add(StreamKeys.Entity(id.Trim()));
        // Facts before restatements, as the reader reads them: for the handler this is the first pass over them, and the
        // first item that is not a fact or a restatement is the error it answers with.
        foreach (var id in (package.CitedDocuments?.Select(c => c?.Id) ?? [])
                 .Concat(package.Facts?.Select(f => f?.PreviouslyReportedIn) ?? [])
                 .Concat(package.Restatements?.Select(r => r?.PreviouslyReportedIn) ?? []))
            if (!string.IsNullOrWhiteSpace(id)) documentStreams.Add(StreamKeys.Document(id.Trim()));
    }

    /// <summary>What the ledger holds of the entities' and documents' streams named, in one read.</summary>
    internal static async Task<LedgerContext> ContextFor(IQuerySession session, IReadOnlyCollection<string> entityStreams, IReadOnlyCollection<string> documentStreams, CancellationToken ct)
    {
        var profiles = entityStreams.Count == 0 ? [] : await session.LoadManyAsync<EntityProfile>(ct, entityStreams.ToArray());
        var documents = documentStreams.Count == 0 ? [] : await session.LoadManyAsync<DocumentSummary>(ct, documentStreams.ToArray());
        return new LedgerContext(
            profiles.Where(p => !string.IsNullOrEmpty(p.Standard)).Select(p => p.Entity).ToHashSet(StringComparer.Ordinal),
            documents.ToDictionary(d => d.DocumentId, d => (DateOnly?)d.PublishedOn, StringComparer.Ordinal),
            profiles.SelectMany(p => p.PolicyChanges).Select(p => p.PolicyChange).ToHashSet(StringComparer.Ordinal),
            profiles.Where(p => p.FiscalYearEnd is not null).ToDictionary(p => p.Entity, p => p.Calendar(), StringComparer.Ordinal));
    }
}
