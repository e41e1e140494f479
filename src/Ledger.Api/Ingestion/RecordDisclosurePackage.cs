using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Marten;
using Wolverine;

namespace Ledger.Api.Ingestion;

/// <summary>The command to record one disclosure package (its bytes as received), on behalf of <paramref name="Recording"/>.</summary>
public sealed record RecordDisclosurePackage(byte[] Body, Recording Recording);

/// <summary>
/// Where every package goes, whoever sends it: POST /api/disclosures, the seed loader and the <c>load</c> command all
/// reach it through Wolverine's message bus (<c>InvokeAsync&lt;IngestionResult&gt;</c>, in the caller's process). A
/// compound handler: <see cref="Before"/> reads the bytes, <see cref="LoadAsync"/> what the ledger holds that the package
/// refers to (in Wolverine's query session), and <see cref="Handle"/>, which reads and writes nothing, decides the answer
/// and the events; Wolverine then carries out the write it returns (<see cref="PackageWrite"/>).
/// </summary>
public static class RecordDisclosurePackageHandler
{
    public static ReceivedPackage Before(RecordDisclosurePackage command, TimeProvider clock) =>
        ReceivedPackage.Read(command.Body, command.Recording, clock);

    public static Task<LedgerOnPackage> LoadAsync(ReceivedPackage received, IQuerySession session, ConceptCatalog catalog, CancellationToken ct) =>
        LedgerOnPackage.ReadAsync(received, session, catalog, ct);

    public static (IngestionResult, PackageWrite?) Handle(RecordDisclosurePackage command, ReceivedPackage received, LedgerOnPackage ledger) =>
        PackageDecision.Decide(received, ledger);
}

public static class DisclosurePackages
{
    /// <summary>Records a package through the bus; a write that met another at commit is answered as the conflict it is.</summary>
    public static Task<IngestionResult> RecordAsync(this IMessageBus bus, byte[] body, Recording recording, CancellationToken ct) =>
        bus.InvokeAnsweringConflictsAsync<IngestionResult>(new RecordDisclosurePackage(body, recording), ct);
}
