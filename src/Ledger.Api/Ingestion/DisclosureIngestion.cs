using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Packages;
using Marten;
using Ledger.Projections.Documents;
using Ledger.Projections.Entities;

namespace Ledger.Api.Ingestion;

/// <summary>
/// What recording a package shares with the other writes (its limits, its JSON, its write timeout, the ledger's context
/// for a package), and the handler's steps (<see cref="RecordDisclosurePackageHandler"/>) run in Wolverine's order for a
/// caller with a store and no host: the benchmark, and tests on a bare store. Everyone else goes through the bus.
/// </summary>
public sealed class DisclosureIngestion(IDocumentStore store, ConceptCatalog catalog, TimeProvider clock)
{
    public const int MaxPackageBytes = 32 * 1024 * 1024;

    public static readonly JsonSerializerOptions PackageJson = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public async Task<IngestionResult> IngestAsync(byte[] body, Recording recording, CancellationToken ct)
    {
        var received = RecordDisclosurePackageHandler.Before(new RecordDisclosurePackage(body, recording), clock);
        LedgerOnPackage ledger;
        await using (var session = store.QuerySession())
            ledger = await RecordDisclosurePackageHandler.LoadAsync(received, session, catalog, ct);
        var (answer, write) = PackageDecision.Decide(received, ledger);
        if (write is null) return answer;
        try
        {
            await write.ExecuteAsync(store, ct);
            return answer;
        }
        catch (ConcurrentPackageWrite conflict)
        {
            return conflict.Answer;
        }
    }

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

    internal static Task<LedgerContext> ContextFor(IQuerySession session, DisclosurePackage package, CancellationToken ct) =>
        ContextFor(session, [package], ct);

    /// <summary>What the ledger holds that any of the packages refers to (entities, documents, policy changes), in one read.</summary>
    internal static async Task<LedgerContext> ContextFor(IQuerySession session, IReadOnlyList<DisclosurePackage> packages, CancellationToken ct)
    {
        var entityIds = packages.SelectMany(package => new[] { package.Document?.Entity }.Concat(package.Entities?.Select(e => e?.Id) ?? []))
            .Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => StreamKeys.Entity(id!.Trim())).Distinct().ToArray();
        var profiles = entityIds.Length == 0 ? [] : await session.LoadManyAsync<EntityProfile>(ct, entityIds);
        var documentIds = packages.SelectMany(package => (package.CitedDocuments?.Select(c => c?.Id) ?? [])
                .Concat(package.Restatements?.Select(r => r?.PreviouslyReportedIn) ?? [])
                .Concat(package.Facts?.Select(f => f?.PreviouslyReportedIn) ?? []))
            .Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => StreamKeys.Document(id!.Trim())).Distinct().ToArray();
        var documents = documentIds.Length == 0 ? [] : await session.LoadManyAsync<DocumentSummary>(ct, documentIds);
        return new LedgerContext(
            profiles.Where(p => !string.IsNullOrEmpty(p.Standard)).Select(p => p.Entity).ToHashSet(StringComparer.Ordinal),
            documents.ToDictionary(d => d.DocumentId, d => (DateOnly?)d.PublishedOn, StringComparer.Ordinal),
            profiles.SelectMany(p => p.PolicyChanges).Select(p => p.PolicyChange).ToHashSet(StringComparer.Ordinal),
            profiles.Where(p => p.FiscalYearEnd is not null).ToDictionary(p => p.Entity, p => p.Calendar(), StringComparer.Ordinal));
    }
}
