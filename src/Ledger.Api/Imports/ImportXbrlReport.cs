using Ledger.Domain.Events;
using Ledger.Domain.Packages;
using Wolverine;

namespace Ledger.Api.Imports;

/// <summary>The command to import one OIM xBRL-JSON report (its bytes as received), on behalf of <paramref name="Recording"/>.</summary>
public sealed record ImportXbrlReport(byte[] Body, Recording Recording);

public static class ImportXbrlReportHandler
{
    public static Task<ImportResult> Handle(ImportXbrlReport command, DocumentImport import, CancellationToken ct) =>
        Task.FromResult(ImportResult.Refused("", [new PackageError("$", "xBRL-JSON import is not built yet")]));
}

public static class XbrlImports
{
    public static Task<ImportResult> ImportXbrlReportAsync(this IMessageBus bus, byte[] body, Recording recording, CancellationToken ct) =>
        bus.InvokeAsync<ImportResult>(new ImportXbrlReport(body, recording), ct);
}
