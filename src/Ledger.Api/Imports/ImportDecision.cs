using System.Text.Json;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;

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
        var held = packages.Count - missing.Count;
        if (missing.Count == 0) return (new ImportResult(entity, packages.Count, 0, held, 0, [], fiscalYearEnd), null);

        // Each document sees the ledger and the documents of the import before it.
        var context = ledger.Context;
        var entities = new HashSet<string>(context.Entities, StringComparer.Ordinal);
        var documents = new Dictionary<string, DateOnly?>(context.Documents, StringComparer.Ordinal);
        var calendars = new Dictionary<string, FiscalCalendar>(context.Calendars ?? new Dictionary<string, FiscalCalendar>(), StringComparer.Ordinal);
        // A later document may restate for a policy change an earlier one of the same import adopts.
        var policyChanges = new HashSet<string>(context.PolicyChanges, StringComparer.Ordinal);
        var errors = new List<PackageError>();
        var plans = new List<ImportedDocument>();
        foreach (var package in missing)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(package, DisclosureIngestion.PackageJson);
            var hash = ReceivedPackage.ContentHash(body);
            var (plan, planErrors) = new PackageReader(catalog).Read(package, new LedgerContext(entities, documents, policyChanges, calendars), recording, hash);
            if (plan is null)
            {
                errors.AddRange(planErrors.Select(e => e with { Path = $"{package.Document!.Id}: {e.Path}" }));
                continue;
            }
            plans.Add(new ImportedDocument(plan, body, hash));
            documents[plan.DocumentId] = plan.PublishedOn;
            foreach (var a in plan.Events.Select(e => e.Event).OfType<AccountingPolicyChangeAdopted>()) policyChanges.Add(a.PolicyChange);
            foreach (var r in plan.Events.Select(e => e.Event).OfType<EntityRegistered>())
            {
                entities.Add(r.Entity);
                if (FiscalCalendar.TryParse(r.FiscalYearEnd, out var calendar)) calendars[r.Entity] = calendar;
            }
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
