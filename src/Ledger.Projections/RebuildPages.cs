using JasperFx.Events.Projections;
using Marten;

namespace Ledger.Projections;

/// <summary>
/// How many events Marten's daemon reads a page when it replays a view in a rebuild. The views it replays handle event
/// types that are rare in the log (a document's, an entity's: 0.5 % of the events), and a page asks for them in sequence
/// order, so PostgreSQL either walks the sequence index through every figure event until the page is full, or reads the
/// type's events by the event-type index (MartenSetup) and sorts them. With pages of Marten's 500 it chose the walk: the
/// whole log once per view (85 ms a page at `medium`); with pages of 10,000 the index (110 ms for the 5,000 document
/// events of `medium`, all at once; at `large` the five views took 10–12 s instead of 66). A page is held in memory:
/// 10,000 events of these kinds are a few MB.
/// </summary>
public static class RebuildPages
{
    public const int Size = 10_000;

    /// <summary>Sets the page size of every view registered so far: a view added later reads its rebuild by the index too.</summary>
    public static void ApplyTo(StoreOptions opts)
    {
        foreach (var projection in opts.Projections.All.OfType<ProjectionBase>()) projection.Options.BatchSize = Size;
    }
}
