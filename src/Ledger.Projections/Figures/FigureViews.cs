using JasperFx.Events.Projections;
using Marten;

namespace Ledger.Projections.Figures;

/// <summary>
/// Registration of the figure views: one row per stated value (<see cref="StatedValueTables"/>), written by one
/// projection for every figure read (current, as of, statement, history, as reported). Inline, so that a read right
/// after a POST sees the figures and ingestion reads them in the same request.
/// </summary>
public static class FigureViews
{
    public static IReadOnlyList<string> Tables { get; } = [StatedValueTables.StatedValues, StatedValueTables.TranscriptionCorrections];

    public static void Register(StoreOptions opts, string schema)
    {
        // Not created lazily, as Marten's own tables are: a process that writes builds them first (MartenSetup.OpenStoreAsync).
        opts.Storage.ExtendedSchemaObjects.Add(StatedValueTables.StatedValuesTable(schema));
        opts.Storage.ExtendedSchemaObjects.Add(StatedValueTables.TranscriptionCorrectionsTable(schema));
        opts.Projections.Add(new StatedValuesProjection(schema), ProjectionLifecycle.Inline, StatedValuesProjection.Name, o =>
        {
            foreach (var table in Tables) o.DeleteDataInTableOnTeardown($"{schema}.{table}");
        });
    }
}
