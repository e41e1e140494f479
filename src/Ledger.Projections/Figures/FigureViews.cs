using JasperFx.Events.Projections;
using Marten;
using Ledger.Projections.Statements;

namespace Ledger.Projections.Figures;

/// <summary>
/// Registration of the figure views: one row per stated value (<see cref="StatedValueTables"/>), for every figure read
/// (current, as of, history, as reported), and the statements' lines derived from them (<see cref="StatementLineTable"/>),
/// both written by one projection. Inline, so that a read right after a POST sees the figures and its statements, and
/// ingestion reads them in the same request.
/// </summary>
public static class FigureViews
{
    public static IReadOnlyList<string> Tables { get; } = [StatedValueTables.StatedValues, StatedValueTables.TranscriptionCorrections, StatementLineTable.Name];

    /// <param name="writersLock">The transaction-scoped advisory lock every write of events takes (the log's sealing lock): the statement lines of a figure are worked out under it, in the write's transaction (<see cref="StatementLineChanges"/> says when that holds).</param>
    public static void Register(StoreOptions opts, string schema, long writersLock)
    {
        // Not created lazily, as Marten's own tables are: a process that writes builds them first (MartenSetup.OpenStoreAsync).
        opts.Storage.ExtendedSchemaObjects.Add(StatedValueTables.StatedValuesTable(schema));
        opts.Storage.ExtendedSchemaObjects.Add(StatedValueTables.TranscriptionCorrectionsTable(schema));
        opts.Storage.ExtendedSchemaObjects.Add(StatementLineTable.Of(schema));
        opts.Projections.Add(new StatedValuesProjection(schema, writersLock), ProjectionLifecycle.Inline, StatedValuesProjection.Name, o =>
        {
            foreach (var table in Tables) o.DeleteDataInTableOnTeardown($"{schema}.{table}");
        });
    }
}
