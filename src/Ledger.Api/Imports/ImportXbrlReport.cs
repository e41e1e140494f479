using System.Text.RegularExpressions;
using Ledger.Api.Ingestion;
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
/// A compound handler, as a package's: <see cref="LoadAsync"/> reads the report (<see cref="XbrlReportReader"/>) with what
/// the ledger knows of its entity (its calendar, and that it needs no definition) and what the ledger holds of its
/// documents; <see cref="Handle"/>, which reads and writes nothing, decides the answer and the write
/// (<see cref="ImportDecision"/>: the documents the ledger lacks, all or nothing). Errors the package reader still finds
/// name the report's fact ids, not the packages' indexes.
/// </summary>
public static partial class ImportXbrlReportHandler
{
    public static async Task<XbrlReportOnLedger> LoadAsync(ImportXbrlReport command, IQuerySession session, ConceptCatalog catalog, TimeProvider clock, CancellationToken ct)
    {
        var recording = command.Recording.At(clock.GetUtcNow());
        var options = command.Options ?? XbrlReportOptions.None;
        using var json = ImportJson.Parse(command.Body, out var malformed);
        if (json is null) return new XbrlReportOnLedger(null, "", malformed, null, recording);
        var (entity, entityErrors) = XbrlReportReader.EntityOf(json.RootElement, options);
        if (entity is null) return new XbrlReportOnLedger(null, "", entityErrors, null, recording);
        var profile = await session.LoadAsync<EntityProfile>(StreamKeys.Entity(entity), ct);
        // The report's packages own their values (none points into the JSON read here), so they outlive it.
        var (report, errors) = XbrlReportReader.Read(json.RootElement, options, entity, profile is { Standard.Length: > 0 } ? profile : null, catalog);
        if (report is null) return new XbrlReportOnLedger(null, entity, errors, null, recording);
        return new XbrlReportOnLedger(report, entity, [], await LedgerOnImport.ReadAsync(session, report.Packages, ct), recording);
    }

    public static (ImportResult, ImportWrite?) Handle(ImportXbrlReport command, XbrlReportOnLedger read, ConceptCatalog catalog)
    {
        if (read is not { Report: { } report, Ledger: { } ledger }) return (ImportResult.Refused(read.Entity, read.Errors), null);
        var (answer, write) = ImportDecision.Decide(read.Entity, report.Packages, report.Calendar.IsCalendarYear ? null : report.Calendar.ToString(), ledger, catalog, read.Recording);
        return (answer.Errors is { } packageErrors ? answer with { Errors = packageErrors.Select(e => ByFactId(e, report)).ToList() } : answer, write);
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

/// <summary>The report read (or the errors that stop it), and what the ledger holds of its documents.</summary>
public sealed record XbrlReportOnLedger(XbrlReport? Report, string Entity, IReadOnlyList<PackageError> Errors, LedgerOnImport? Ledger, Recording Recording);

public static class XbrlImports
{
    /// <summary>Imports through the bus; a write that met another at commit is answered as the conflict it is.</summary>
    public static Task<ImportResult> ImportXbrlReportAsync(this IMessageBus bus, byte[] body, Recording recording, CancellationToken ct,
        XbrlReportOptions? options = null) =>
        bus.InvokeAnsweringConflictsAsync<ImportResult>(new ImportXbrlReport(body, recording, options), ct);
}
