using System.Text.Json;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;
using Marten;
using Marten.Exceptions;

namespace Ledger.Api.Imports;

/// <summary>What an import did: how many of the file's documents were new to the ledger, and what they stated.</summary>
public sealed record ImportResult(
    string Entity,
    int Documents,
    int Recorded,
    int AlreadyInLedger,
    int Facts,
    IReadOnlyList<string> RecordedDocuments,
    string? FiscalYearEnd,
    IReadOnlyList<PackageError>? Errors = null,
    string? Conflict = null)
{
    public bool Invalid => Errors is { Count: > 0 };

    public static ImportResult Refused(string entity, IReadOnlyList<PackageError> errors) => new(entity, 0, 0, 0, 0, [], null, errors);
}

/// <summary>
/// Records the documents of one import (a company's filings, a report's documents) that the ledger lacks, all in one
/// transaction: each is read by the same <see cref="PackageReader"/> as a posted package, with the ledger and the
/// documents before it as context, so the same events result, and each is kept as its package (so that a later import of
/// the same document is recognised). A document the ledger holds already is left as it is: a company-facts file the SEC
/// rewrites as filings arrive adds only its new filings. All of it, or nothing.
/// </summary>
public sealed class DocumentImport(IDocumentStore store, ConceptCatalog catalog, TimeProvider clock)
{
    public async Task<ImportResult> RecordAsync(string entity, IReadOnlyList<DisclosurePackage> packages, string? fiscalYearEnd, Recording recording, CancellationToken ct)
    {
        await Audit.AuditChainSchema.EnsureAsync(store, ct);
        recording = recording.At(clock.GetUtcNow());
        var facts = packages.Sum(p => p.Facts?.Count ?? 0);
        // A transaction of its own, as a package's, sealed just before it commits under the import's timeout.
        await using var write = await SealedWrite.BeginAsync(store, recording, DisclosureIngestion.WriteTimeoutSeconds(facts), ct);
        await using var session = write.Session();

        var ids = packages.Select(p => p.Document!.Id!).ToArray();
        var held = (await session.LoadManyAsync<LoadedPackage>(ct, ids)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var missing = packages.Where(p => !held.Contains(p.Document!.Id!)).ToList();
        if (missing.Count == 0) return new ImportResult(entity, packages.Count, 0, held.Count, 0, [], fiscalYearEnd);

        // Each document sees the ledger (what any of them refers to, read once) and the documents of the import before it.
        var ledger = await DisclosureIngestion.ContextFor(session, missing, ct);
        var entities = new HashSet<string>(ledger.Entities, StringComparer.Ordinal);
        var documents = new Dictionary<string, DateOnly?>(ledger.Documents, StringComparer.Ordinal);
        var calendars = new Dictionary<string, FiscalCalendar>(ledger.Calendars ?? new Dictionary<string, FiscalCalendar>(), StringComparer.Ordinal);
        // A later document may restate for a policy change an earlier one of the same import adopts.
        var policyChanges = new HashSet<string>(ledger.PolicyChanges, StringComparer.Ordinal);
        var errors = new List<PackageError>();
        var plans = new List<(PackagePlan Plan, byte[] Body, string Hash)>();
        foreach (var package in missing)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(package, DisclosureIngestion.PackageJson);
            var hash = Ingestion.ReceivedPackage.ContentHash(body);
            var (plan, planErrors) = new PackageReader(catalog).Read(package, new LedgerContext(entities, documents, policyChanges, calendars), recording, hash);
            if (plan is null)
            {
                errors.AddRange(planErrors.Select(e => e with { Path = $"{package.Document!.Id}: {e.Path}" }));
                continue;
            }
            plans.Add((plan, body, hash));
            documents[plan.DocumentId] = plan.PublishedOn;
            foreach (var a in plan.Events.Select(e => e.Event).OfType<AccountingPolicyChangeAdopted>()) policyChanges.Add(a.PolicyChange);
            foreach (var r in plan.Events.Select(e => e.Event).OfType<EntityRegistered>())
            {
                entities.Add(r.Entity);
                if (FiscalCalendar.TryParse(r.FiscalYearEnd, out var calendar)) calendars[r.Entity] = calendar;
            }
        }
        if (errors.Count > 0) return ImportResult.Refused(entity, errors);

        foreach (var (plan, body, hash) in plans)
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
            return new ImportResult(entity, packages.Count, 0, held.Count, 0, [], fiscalYearEnd,
                Conflict: $"Another request recorded documents of '{entity}' at the same time; nothing was recorded. Import again: what it recorded is kept, the rest is added.");
        }
        return new ImportResult(entity, packages.Count, plans.Count, held.Count, plans.Sum(p => p.Plan.Facts), plans.Select(p => p.Plan.DocumentId).ToList(), fiscalYearEnd);
    }
}
