using System.Text.Json;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;

namespace Ledger.Api.Imports;

/// <summary>
/// What an import records (a company's filings, a report's documents), decided from its documents and what the ledger
/// holds, without reading or writing anything: the documents the ledger lacks, each read by the same
/// <see cref="PackageReader"/> as a posted package, with the ledger and the import's documents before it as context, so
/// the same events result; a document the ledger holds already is left as it is (a company-facts file the SEC rewrites as
/// filings arrive adds only its new filings). The answer, and the write that makes it true (<see cref="ImportWrite"/>:
/// all of it, in one transaction, or nothing).
/// </summary>
public static class ImportDecision
{
    public static (ImportResult Answer, ImportWrite? Write) Decide(string entity, IReadOnlyList<DisclosurePackage> packages, string? fiscalYearEnd,
        LedgerOnImport ledger, ConceptCatalog catalog, Recording recording)
    {
        var missing = packages.Where(p => !ledger.Held.Contains(p.Document!.Id!)).ToList();
        var held = ledger.Held.Count;
        if (missing.Count == 0) return (new ImportResult(entity, packages.Count, 0, held, 0, [], fiscalYearEnd), null);

        // Each document sees the ledger and the documents of the import before it (a later one may restate for a policy
        // change an earlier one adopts), as a bulk load's do.
        var context = new PlanningContext(ledger.Context);
        var errors = new List<PackageError>();
        var plans = new List<ImportedDocument>();
        foreach (var package in missing)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(package, DisclosureIngestion.PackageJson);
            var hash = ReceivedPackage.ContentHash(body);
            var (plan, planErrors) = new PackageReader(catalog).Read(package, context.Context, recording, hash);
            if (plan is null)
            {
                errors.AddRange(planErrors.Select(e => e with { Path = $"{package.Document!.Id}: {e.Path}" }));
                continue;
            }
            plans.Add(new ImportedDocument(plan, body, hash));
            context.Add(plan);
        }
        if (errors.Count > 0) return (ImportResult.Refused(entity, errors), null);

        var answer = new ImportResult(entity, packages.Count, plans.Count, held, plans.Sum(p => p.Plan.Facts), plans.Select(p => p.Plan.DocumentId).ToList(), fiscalYearEnd);
        var conflict = answer with
        {
            Recorded = 0, Facts = 0, RecordedDocuments = [],
            Conflict = $"Another request recorded documents of '{entity}' at the same time; nothing was recorded. Import again: what it recorded is kept, the rest is added.",
        };
        return (answer, new ImportWrite(plans, recording, DisclosureIngestion.WriteTimeoutSeconds(packages.Sum(p => p.Facts?.Count ?? 0)), conflict));
    }
}
