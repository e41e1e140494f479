using Ledger.Domain.Events;
using Wolverine;

namespace Ledger.Api.Ingestion;

/// <summary>The command to record one disclosure package (its bytes as received), on behalf of <paramref name="Recording"/>.</summary>
public sealed record RecordDisclosurePackage(byte[] Body, Recording Recording);

/// <summary>
/// Where every package goes, whoever sends it: POST /api/disclosures, the seed loader and the <c>load</c> command all
/// reach it through Wolverine's message bus (<c>InvokeAsync&lt;IngestionResult&gt;</c>, in the caller's process).
/// The package is one transaction that <see cref="DisclosureIngestion"/> opens itself rather than Wolverine's
/// transactional middleware: its timeout grows with the package, and a concurrency failure at commit is an answer
/// (409, "post again"), not an exception.
/// </summary>
public static class RecordDisclosurePackageHandler
{
    public static Task<IngestionResult> Handle(RecordDisclosurePackage command, DisclosureIngestion ingestion, CancellationToken ct) =>
        ingestion.IngestAsync(command.Body, command.Recording, ct);
}

public static class DisclosurePackages
{
    /// <summary>Records a package through the bus.</summary>
    public static Task<IngestionResult> RecordAsync(this IMessageBus bus, byte[] body, Recording recording, CancellationToken ct) =>
        bus.InvokeAsync<IngestionResult>(new RecordDisclosurePackage(body, recording), ct);
}
