using Ledger.Api.Ingestion;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Marten;
using Marten.Exceptions;
using Wolverine;

namespace Ledger.Api.Imports;

/// <summary>A document an import records: its plan, and the package it is kept as (bytes and content hash).</summary>
public sealed record ImportedDocument(PackagePlan Plan, byte[] Body, string Hash);

/// <summary>
/// The write a decided import needs, returned by its handler and carried out by Wolverine (a side effect): every new
/// document's events, package record and bytes in one transaction of its own (<see cref="SealedWrite"/>, as a package's),
/// sealed just before it commits under the import's timeout.
/// </summary>
public sealed class ImportWrite(IReadOnlyList<ImportedDocument> documents, Recording recording, int timeoutSeconds, ImportResult conflict) : ISideEffect
{
    public IReadOnlyList<ImportedDocument> Documents => documents;

    public async Task ExecuteAsync(IDocumentStore store, CancellationToken ct)
    {
        await Audit.AuditChainSchema.EnsureAsync(store, ct);
        await using var write = await SealedWrite.BeginAsync(store, recording, timeoutSeconds, ct);
        await using var session = write.Session();
        foreach (var (plan, body, hash) in documents)
        {
            // Started, as a package's (PackageWrite.StartedStreams): its document's, and an entity it registers, so that
            // another load that registers it or records the document at the same time makes one of the two fail.
            PackageWrite.Append(session, plan.Events, new HashSet<string>(PackageWrite.StartedStreams(plan), StringComparer.Ordinal));
            session.Store(PackageContent.Of(plan).ToLoadedPackage(plan.DocumentId, hash));
            PackageBodies.Store(session, plan.DocumentId, hash, body);
        }
        try
        {
            await session.SaveChangesAsync(ct);
            await write.CommitAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException or JasperFx.ConcurrencyException)
        {
            throw new ConcurrentImportWrite(conflict, e);
        }
    }
}

/// <summary>
/// An import's write that met another at commit: one of its documents, or an entity it registers, was written meanwhile.
/// Its answer (409, "import again") is what the import commands give instead of an exception.
/// </summary>
public sealed class ConcurrentImportWrite(ImportResult answer, Exception inner) : Exception(answer.Conflict, inner), IConflictAnswer<ImportResult>
{
    public ImportResult Answer => answer;
}
