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
        plan.RegisteredEntities.Select(StreamKeys.Entity).Prepend(StreamKeys.Document(plan.DocumentId));

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
    public IEnumerable<PlannedEvent> Events => plan.Events;

    public override async Task ExecuteAsync(IDocumentStore store, CancellationToken ct)
    {
        await EnsureSealingAsync(store, ct);
        await using var write = await SealedWrite.BeginAsync(store, recording, timeoutSeconds, ct);
        var chunks = (plan.EventCount + DisclosureIngestion.ChunkEvents - 1) / DisclosureIngestion.ChunkEvents;
        var started = new HashSet<string>(StartedStreams(plan), StringComparer.Ordinal);
        // What the package states, figure by figure, signed as its events are written (PackageContent.Reading).
        var signing = new PackageContent.Reading(plan.DocumentId, plan.PublishedOn, plan.RepeatedFigures);
        try
        {
            if (chunks == 1) await WriteOneChunkAsync(write, started, signing, ct);
            else await WriteChunksAsync(store, write, chunks, started, signing, ct);
            await write.CommitAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException or JasperFx.ConcurrencyException)
        {
            // The same document, or the same new entity, was written by a request at the same time. Shared figures do not conflict.
            throw new ConcurrentPackageWrite(plan.DocumentId,
                $"Another load wrote '{plan.DocumentId}', or registered an entity it registers, at the same time; nothing was recorded. Post again.", e);
        }
    }

    /// <summary>
    /// A package of one chunk (most are): its record signed whole and stored by the session with its events and bytes. A
    /// temporary table, a few catalog rows made and dropped, costs more than one chunk's record kept in memory (the
    /// service path measured 4,941 facts/s with one per package, 0.51 % of the COPY, at 81fedd8).
    /// </summary>
    private async Task WriteOneChunkAsync(SealedWrite write, ISet<string> started, PackageContent.Reading signing, CancellationToken ct)
    {
        var events = plan.Events.ToArray();
        if (events.Length != plan.EventCount) throw new InvalidOperationException($"'{plan.DocumentId}' read {events.Length} events again where {plan.EventCount} were counted");
        await using var session = write.Session();
        // Starting a stream makes a concurrent load that starts it too fail, not double up (StartedStreams).
        Append(session, events, started);
        PackageBodies.Store(session, plan.DocumentId, contentHash, body);
        var figures = new Dictionary<string, FigureSignature>(StringComparer.Ordinal);
        foreach (var e in events) signing.Add(e.Event, figures);
        session.Store(new PackageContent(figures, signing.Finish(figures)).ToLoadedPackage(plan.DocumentId, contentHash));
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A larger package, chunk by chunk: each chunk read from the package while the one before it is stored
    /// (<see cref="ChunksAhead"/>: the transaction holds the log's lock from its first event, and every other write waits
    /// for it), its figures signed while PostgreSQL stores it and copied into a temporary table, from which the database
    /// puts the package's record together at the end (<see cref="PackageRecords"/>): no more than a chunk of the record
    /// is in memory.
    /// </summary>
    private async Task WriteChunksAsync(IDocumentStore store, SealedWrite write, int chunks, ISet<string> started, PackageContent.Reading signing, CancellationToken ct)
    {
        // The record is written in SQL, not by a session that would make its table first.
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(LoadedPackage), ct);
        await PackageRecords.BeginAsync(write, ct);
        var signed = new List<KeyValuePair<string, FigureSignature>>(DisclosureIngestion.ChunkEvents);
        var at = 0;
        await using var reading = new ChunksAhead(plan.Events, DisclosureIngestion.ChunkEvents);
        while (await reading.NextAsync() is { } chunk)
        {
            await using (var session = write.Session())
            {
                Append(session, chunk, started);
                if (++at == chunks) PackageBodies.Store(session, plan.DocumentId, contentHash, body);
                await SignWhileSavingAsync(session, chunk, signing, signed, ct);
            }
            await PackageRecords.CopyAsync(write, signed, ct);
            signed.Clear();
        }
        // The package's bytes went with its last chunk: a plan that read fewer events again than it counted has none.
        if (at != chunks) throw new InvalidOperationException($"'{plan.DocumentId}' read {at} chunks of events again where {chunks} were counted");
        var other = signing.Finish(signed);
        await PackageRecords.CopyAsync(write, signed, ct);
        await PackageRecords.StoreAsync(write, plan.DocumentId, contentHash, other, ct);
    }

    /// <summary>Saves the session's chunk and signs its figures meanwhile, on this thread while PostgreSQL stores it.</summary>
    private static async Task SignWhileSavingAsync(IDocumentSession session, PlannedEvent[] chunk, PackageContent.Reading signing,
        List<KeyValuePair<string, FigureSignature>> signed, CancellationToken ct)
    {
        var saving = session.SaveChangesAsync(ct);
        try
        {
            foreach (var e in chunk) signing.Add(e.Event, signed);
        }
        catch
        {
            // The session is not let go while its save runs; the signing's failure is the one thrown.
            await saving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        await saving;
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
public sealed class ConcurrentPackageWrite(string documentId, string message, Exception? inner = null) : Exception(message, inner), IConflictAnswer<IngestionResult>
{
    public string DocumentId { get; } = documentId;

    public IngestionResult Answer => new(IngestionOutcome.Conflict, DocumentId, 0, Message: Message);
}

/// <summary>
/// A plan's events a chunk at a time, each chunk read on the thread pool while the one before it is written: one chunk
/// ahead, so that reading the package again (<see cref="PackagePlan.Events"/>) is not added to the write's time.
/// </summary>
internal sealed class ChunksAhead : IAsyncDisposable
{
    private readonly IEnumerator<PlannedEvent[]> _chunks;
    private Task<PlannedEvent[]?> _next;

    public ChunksAhead(IEnumerable<PlannedEvent> events, int size)
    {
        _chunks = events.Chunk(size).GetEnumerator();
        _next = Read();
    }

    // One read at a time: the next starts only once the one before was taken.
    private Task<PlannedEvent[]?> Read() => Task.Run(() => _chunks.MoveNext() ? _chunks.Current : null);

    /// <summary>The next chunk, null after the last; the one after it is read meanwhile.</summary>
    public async Task<PlannedEvent[]?> NextAsync()
    {
        var chunk = await _next;
        if (chunk is not null) _next = Read();
        return chunk;
    }

    public async ValueTask DisposeAsync()
    {
        // A write that failed leaves a read running: it ends before the enumerator is let go; its own failure is not the write's.
        await ((Task)_next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _chunks.Dispose();
    }
}
