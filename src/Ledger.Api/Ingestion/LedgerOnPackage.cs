using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Ledger.Domain.Figures;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Figures;
using Marten;

namespace Ledger.Api.Ingestion;

/// <summary>
/// What the ledger holds that decides what a package records: the package already loaded for its document, the package
/// read into a plan against the ledger's entities, documents and policy changes (or the errors that stop it), what it
/// states figure by figure when a package is already loaded for its document, and the histories the decision compares
/// with: the figures the package restates, and for a correction the figures it changes.
/// </summary>
public sealed record LedgerOnPackage(
    LoadedPackage? Loaded,
    PackagePlan? Plan,
    PackageContent? Content,
    IReadOnlyList<PackageError> Errors,
    IReadOnlyDictionary<string, FigureHistory> Histories)
{
    private static readonly IReadOnlyDictionary<string, FigureHistory> NoHistories = new Dictionary<string, FigureHistory>();

    public static async Task<LedgerOnPackage> ReadAsync(ReceivedPackage received, IQuerySession session, ConceptCatalog catalog, CancellationToken ct)
    {
        if (received.Package is not { } package) return new(null, null, null, [], NoHistories);
        var documentId = received.DocumentId;
        var loaded = documentId is null ? null : await session.LoadAsync<LoadedPackage>(documentId, ct);
        // The same bytes again: nothing more to read.
        if (loaded is not null && loaded.ContentHash == received.Hash) return new(loaded, null, null, [], NoHistories);

        var context = await DisclosureIngestion.ContextFor(session, received.EntityStreams, received.DocumentStreams, ct);
        var (plan, errors) = new PackageReader(catalog).Read(package, context, received.Recording, received.Hash);
        if (plan is null) return new(loaded, null, null, errors, NoHistories);
        // What the package states figure by figure is compared with the loaded package's; a new document's is only its
        // record, worked out by the write beside its chunks (RecordPackage).
        var content = loaded is null ? null : PackageContent.Of(plan);

        var compared = plan.Restated.Select(r => r.Figure)
            .Concat(loaded is not null && content is not null && received.IsCorrection ? PackageDecision.Differences(loaded, content).Select(d => d.Figure) : [])
            .Distinct(StringComparer.Ordinal).ToArray();
        var histories = compared.Length == 0 ? NoHistories
            : (await FigureReads.LoadManyAsync(session, compared, ct)).ToDictionary(h => h.Id, StringComparer.Ordinal);
        return new(loaded, plan, content, errors, histories);
    }
}
