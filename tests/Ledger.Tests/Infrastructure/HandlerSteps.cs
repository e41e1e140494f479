using Ledger.Api.Imports;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Marten;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// The ingestion handler's steps (<see cref="RecordDisclosurePackageHandler"/>), and an import's, in Wolverine's order on a bare store,
/// without a host: for tests of what lies beneath a write (the audit chain, outages, backups, the service role), and for
/// the concurrency tests, which hold decided writes back to carry them out at once. The service, the verbs and the
/// benchmark reach the handler through the bus (<see cref="LedgerApp"/>, <see cref="IngestionHost"/>), as do the tests
/// that compare a path with the service's.
/// </summary>
public sealed class HandlerSteps(IDocumentStore store, ConceptCatalog catalog, TimeProvider clock)
{
    public async Task<IngestionResult> IngestAsync(byte[] body, Recording recording, CancellationToken ct)
    {
        var (answer, write) = await DecideAsync(body, recording, ct);
        return await CarriedOutAsync(answer, write is null ? null : () => write.ExecuteAsync(store, ct));
    }

    /// <summary>An import handler's steps for documents already read (a company's filings, a report's documents).</summary>
    public async Task<ImportResult> ImportAsync(string entity, IReadOnlyList<DisclosurePackage> packages, string? fiscalYearEnd, Recording recording, CancellationToken ct)
    {
        LedgerOnImport ledger;
        await using (var session = store.QuerySession()) ledger = await LedgerOnImport.ReadAsync(session, packages, ct);
        var (answer, write) = ImportDecision.Decide(entity, packages, fiscalYearEnd, ledger, catalog, recording.At(clock.GetUtcNow()));
        return await CarriedOutAsync(answer, write is null ? null : () => write.ExecuteAsync(store, ct));
    }

    /// <summary>The decided answer once its write is carried out, as Wolverine carries out a side effect; a write that met another at commit answers its conflict, as the bus's callers do (<see cref="ConflictAnswers"/>).</summary>
    private static async Task<TAnswer> CarriedOutAsync<TAnswer>(TAnswer answer, Func<Task>? write)
    {
        if (write is null) return answer;
        try
        {
            await write();
            return answer;
        }
        catch (Exception e) when (e is IConflictAnswer<TAnswer> conflict)
        {
            return conflict.Answer;
        }
    }

    /// <summary>The handler's steps up to its decision: the answer, and the write that makes it true, not yet carried out.</summary>
    public async Task<(IngestionResult Answer, PackageWrite? Write)> DecideAsync(byte[] body, Recording recording, CancellationToken ct)
    {
        var received = RecordDisclosurePackageHandler.Before(new RecordDisclosurePackage(body, recording), clock);
        await using var session = store.QuerySession();
        return PackageDecision.Decide(received, await RecordDisclosurePackageHandler.LoadAsync(received, session, catalog, ct));
    }
}
