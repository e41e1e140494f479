using Ledger.Api.Database;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Documents;
using Marten.Exceptions;
using Marten;
using Wolverine;

namespace Ledger.Api.Ingestion;

/// <summary>
/// The write a decided package needs, returned by the handler and carried out by Wolverine (a side effect). A package is
/// one transaction the write opens itself (<see cref="SealedWrite"/>) rather than Wolverine's transactional middleware:
/// its timeout grows with the package, it is written in chunks, and it is sealed before it commits.
/// </summary>
public abstract class PackageWrite : ISideEffect
{
    public abstract Task ExecuteAsync(IDocumentStore store, CancellationToken ct);

    /// <summary>Every event this path writes is sealed by the database's triggers; make sure they exist (once per store).</summary>
    protected static Task EnsureSealingAsync(IDocumentStore store, CancellationToken ct) => Audit.AuditChainSchema.EnsureAsync(store, ct);
}

/// <summary>A new document's events and its loaded package, in one transaction, chunk by chunk.</summary>
/// <param name="decidedOn">The versions of the other streams the package adds to, as it was decided against them.</param>
public sealed class RecordPackage(PackagePlan plan, StreamVersions decidedOn, string contentHash, byte[] body, Recording recording, int timeoutSeconds) : PackageWrite
{
    public IReadOnlyList<PlannedEvent> Events => plan.Events;

    public override async Task ExecuteAsync(IDocumentStore store, CancellationToken ct)
    {
        // The package's record (what it states, figure by figure) is worked out on another thread while the chunks are
        // written: it is needed only with the last one, and PostgreSQL's share of each chunk leaves a core idle here.
        var record = Task.Run(() => PackageContent.Of(plan).ToLoadedPackage(plan.DocumentId, contentHash), ct);
        try
        {
            await WriteAsync(store, record, ct);
        }
        finally
        {
            // Nothing of a failed write runs on after it. Its own failure is the one thrown: the record's, if it failed
            // too, was not reached (a successful write awaited it, and threw what it threw).
            await ((Task)record).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task WriteAsync(IDocumentStore store, Task<LoadedPackage> record, CancellationToken ct)
    {
        await EnsureSealingAsync(store, ct);
        await using var write = await SealedWrite.BeginAsync(store, recording, timeoutSeconds, ct);
        var documentStream = StreamKeys.Document(plan.DocumentId);
        var started = false;
        try
        {
            // An entity or reconciliation another load added to since the decision: this package was decided against a
            // ledger that is no more (it registers an entity that now is, or declares what it may now repeat).
            if (await write.ChangedSinceAsync(decidedOn, ct) is { Count: > 0 } changed)
                throw new ConcurrentPackageWrite(plan.DocumentId,
                    $"Another load added to {string.Join(", ", changed.Select(s => $"'{s}'"))} since this package was read; nothing was recorded. Post again.");
            for (var at = 0; at < plan.Events.Count; at += DisclosureIngestion.ChunkEvents)
            {
                await using var session = write.Session();
                foreach (var group in plan.Events.Skip(at).Take(DisclosureIngestion.ChunkEvents).GroupBy(e => e.Stream))
                {
                    var events = group.Select(e => e.Event).ToArray();
                    // Starting the document's stream makes a concurrent load of the same document fail, not double up.
                    if (group.Key == documentStream && !started) { session.Events.StartStream(group.Key, events); started = true; }
                    else session.Events.Append(group.Key, events);
                }
                if (at + DisclosureIngestion.ChunkEvents >= plan.Events.Count)
                {
                    session.Store(await record);
                    PackageBodies.Store(session, plan.DocumentId, contentHash, body);
                }
                await session.SaveChangesAsync(ct);
            }
            await write.CommitAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException or JasperFx.ConcurrencyException)
        {
            // The same document was started by a request at the same time (the other streams were checked above). Shared figures do not conflict.
            throw new ConcurrentPackageWrite(plan.DocumentId,
                $"Another load wrote '{plan.DocumentId}' at the same time; nothing was recorded. Post again.", e);
        }
    }
}

/// <summary>
/// A document's corrections and its new loaded package. The document's stream is read for writing, so that two
/// corrections at once cannot both land, and must still hold the package the correction was decided against.
/// </summary>
public sealed class CorrectPackage(string documentId, string correctedHash, IReadOnlyList<object> events, LoadedPackage loaded, byte[] body, Recording recording, int timeoutSeconds)
    : PackageWrite
{
    public IReadOnlyList<object> Events => events;

    public override async Task ExecuteAsync(IDocumentStore store, CancellationToken ct)
    {
        const string changed = "was changed by another request at the same time; nothing was recorded.";
        await EnsureSealingAsync(store, ct);
        await using var write = await SealedWrite.BeginAsync(store, recording, timeoutSeconds, ct);
        await using var session = write.Session();
        var document = await session.Events.FetchForWriting<DocumentSummary>(StreamKeys.Document(documentId), ct);
        // Another correction landed between the decision and here: this one was worked out against stale state.
        if (document.Aggregate?.ContentHash != correctedHash)
            throw new ConcurrentPackageWrite(documentId, $"Document '{documentId}' {changed} Post again.");
        document.AppendMany(events);
        session.Store(loaded);
        PackageBodies.Store(session, documentId, loaded.ContentHash, body);
        try
        {
            await session.SaveChangesAsync(ct);
            await write.CommitAsync(ct);
        }
        catch (JasperFx.ConcurrencyException e)
        {
            throw new ConcurrentPackageWrite(documentId, $"Document '{documentId}' {changed}", e);
        }
    }
}

/// <summary>
/// A write that met another at commit: the package was decided against a ledger that changed meanwhile. Its message is
/// the answer (409, "post again"), which <see cref="DisclosurePackages.RecordAsync"/> gives instead of an exception.
/// </summary>
public sealed class ConcurrentPackageWrite(string documentId, string message, Exception? inner = null) : Exception(message, inner)
{
    public string DocumentId { get; } = documentId;

    public IngestionResult Answer => new(IngestionOutcome.Conflict, DocumentId, 0, Message: Message);
}
