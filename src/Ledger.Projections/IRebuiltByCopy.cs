using Marten;

namespace Ledger.Projections;

/// <summary>
/// A view whose rows are many (one per stated value): a rebuild streams the log into its tables with COPY, instead of
/// replaying it through Marten's daemon a batch of inserts at a time, while the daemon replays the other views. The rows
/// must equal the inline projection's, which applies the same fold.
/// </summary>
public interface IRebuiltByCopy
{
    Task RebuildAsync(IDocumentStore store, CancellationToken ct);
}
