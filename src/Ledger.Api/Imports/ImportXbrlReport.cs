using System.Text.RegularExpressions;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Entities;
using Marten;
using Wolverine;

namespace Ledger.Api.Imports;

/// <summary>The command to import one OIM xBRL-JSON report (its bytes as received), on behalf of <paramref name="Recording"/>.</summary>
public sealed record ImportXbrlReport(byte[] Body, Recording Recording, XbrlReportOptions? Options = null);

/// <summary>
/// Reads the report (<see cref="XbrlReportReader"/>) with what the ledger knows of its entity (its calendar, and that it
/// needs no definition), and records the documents the ledger lacks, all or nothing. Errors the package reader still finds
/// name the report's fact ids, not the packages' indexes.
/// </summary>
public static partial class ImportXbrlReportHandler
{
    public static async Task<ImportResult> Handle(ImportXbrlReport command, DocumentImport import, IQuerySession session, ConceptCatalog catalog, CancellationToken ct)
    {
        var options = command.Options ?? XbrlReportOptions.None;
        using var json = ImportJson.Parse(command.Body, out var malformed);
        if (json is null) return ImportResult.Refused("", malformed);
        var (entity, entityErrors) = XbrlReportReader.EntityOf(json.RootElement, options);
        if (entity is null) return ImportResult.Refused("", entityErrors);
        var profile = await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct);
        var (report, errors) = XbrlReportReader.Read(json.RootElement, options, entity, profile is { Standard.Length: > 0 } ? profile : null, catalog);
        if (report is null) return ImportResult.Refused(entity, errors);
        var result = await import.RecordAsync(entity, report.Packages, report.Calendar.IsCalendarYear ? null : report.Calendar.ToString(), command.Recording, ct);
        return result.Errors is { } packageErrors ? result with { Errors = packageErrors.Select(e => ByFactId(e, report)).ToList() } : result;
    }

    /// <summary><c>{document}: $.facts[3].unit</c> as <c>$.facts.f12</c>, its concept and the field: where the fact is in the report.</summary>
    private static PackageError ByFactId(PackageError error, XbrlReport report)
    {
        foreach (var (document, ids) in report.FactIds)
        {
            if (!error.Path.StartsWith(document + ": ", StringComparison.Ordinal)) continue;
            var m = FactIndex().Match(error.Path[(document.Length + 2)..]);
            if (m.Success && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < ids.Count)
                return new PackageError(XbrlPaths.Fact(ids[i].Id), $"{ids[i].Element} (in {document}): {m.Groups[2].Value.TrimStart('.')} {error.Message}".Replace(":  ", ": "));
        }
        return error;
    }

    [GeneratedRegex(@"^\$\.facts\[(\d+)\](.*)$")]
    private static partial Regex FactIndex();
}

public static class XbrlImports
{
    public static Task<ImportResult> ImportXbrlReportAsync(this IMessageBus bus, byte[] body, Recording recording, CancellationToken ct,
        XbrlReportOptions? options = null) =>
        bus.InvokeAsync<ImportResult>(new ImportXbrlReport(body, recording, options), ct);
}
