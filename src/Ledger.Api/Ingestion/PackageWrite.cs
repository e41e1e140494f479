using Ledger.Api.Database;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Documents;
using Marten;
using Marten.Exceptions;
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

    /// <summary>
    /// The streams a new document's package starts rather than appends to: its document's, and the streams of the
    /// entities it registers (its decision found them not in the ledger).
    /// </summary>
    public static IEnumerable<string> StartedStreams(PackagePlan plan) =>
        plan.Events.Where(e => e.Event is Ledger.Domain.Entities.EntityRegistered).Select(e => e.Stream)
            .Prepend(StreamKeys.Document(plan.DocumentId));

    /// <summary>
    /// Appends planned events by stream, in the order they come; a stream of <paramref name="toStart"/> is started by its
    /// first events instead (and taken out of the set), so that a write that starts it too fails.
    /// </summary>
    internal static void Append(IDocumentSession session, IEnumerable<PlannedEvent> events, ISet<string> toStart)
    {
        foreach (var group in events.GroupBy(e => e.Stream))
        {
            var data = group.Select(e => e.Event).ToArray();
            if (toStart.Remove(group.Key)) session.Events.StartStream(group.Key, data);
            else session.Events.Append(group.Key, data);
        }
    }

    /// <summary>Every event this path writes is sealed by the database's triggers; make sure they exist (once per store).</summary>
    protected static Task EnsureSealingAsync(IDocumentStore store, CancellationToken ct) => Audit.AuditChainSchema.EnsureAsync(store, ct);
}

/// <summary>A new document's events and its loaded package, in one transaction, chunk by chunk.</summary>
/// <remarks>
/// The streams a package starts (<see cref="PackageWrite.StartedStreams"/>) are what two loads at once may not both
/// write: the document's, and those of the entities it registers, which it was decided the ledger lacked. Marten fails
/// the second start of a stream, and the load that comes second answers 409 and records nothing. Everything else is
/// appended without a check, as nothing another load adds can make the decision wrong: figures are the documents'
/// own, and an entity's policy changes, calculation relations and reconciliations are only ever added to.
/// </remarks>
public sealed class RecordPackage(PackagePlan plan, string contentHash, byte[] body, Recording recording, int timeoutSeconds) : PackageWrite
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
        var started = new HashSet<string>(StartedStreams(plan), StringComparer.Ordinal);
        try
        {
            for (var at = 0; at < plan.Events.Count; at += DisclosureIngestion.ChunkEvents)
            {
                await using var session = write.Session();
                // Starting a stream makes a concurrent load that starts it too fail, not double up (StartedStreams).
                Append(session, plan.Events.Skip(at).Take(DisclosureIngestion.ChunkEvents), started);
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
            // The same document, or the same new entity, was written by a request at the same time. Shared figures do not conflict.
            throw new ConcurrentPackageWrite(plan.DocumentId,
                $"Another load wrote '{plan.DocumentId}', or registered an entity it registers, at the same time; nothing was recorded. Post again.", e);
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
