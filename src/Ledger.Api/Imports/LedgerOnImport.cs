using Ledger.Api.Ingestion;
using Ledger.Domain.Ingestion;
using Marten;

namespace Ledger.Api.Imports;

/// <summary>
/// What the ledger holds that decides what an import records: which of its documents the ledger holds already (their
/// packages), and what the others refer to (entities, documents, policy changes, calendars), read in Wolverine's session.
/// </summary>
public sealed record LedgerOnImport(IReadOnlySet<string> Held, LedgerContext Context)
{
    public static async Task<LedgerOnImport> ReadAsync(IQuerySession session, IReadOnlyList<DisclosurePackage> packages, CancellationToken ct)
    {
        var ids = packages.Select(p => p.Document!.Id!).ToArray();
        var held = (await session.LoadManyAsync<LoadedPackage>(ct, ids)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var missing = packages.Where(p => !held.Contains(p.Document!.Id!)).ToList();
        var context = missing.Count == 0 ? LedgerContext.Empty : await DisclosureIngestion.ContextFor(session, missing, ct);
        return new LedgerOnImport(held, context);
    }
}
