using JasperFx.Events.Projections;
using Marten;

namespace Ledger.Projections.Checks;

/// <summary>
/// Registration of the checks read model (<see cref="CheckTables"/>): the freshness marks inline; the findings written by
/// the reads that find an entity marked. A rebuild empties both and replays the marks, so every entity is checked again
/// on its next read.
/// </summary>
public static class CheckViews
{
    public static IReadOnlyList<string> Tables { get; } = [CheckTables.Findings, CheckTables.State];

    public static void Register(StoreOptions opts, string schema)
    {
        opts.Storage.ExtendedSchemaObjects.Add(CheckTables.FindingsTable(schema));
        opts.Storage.ExtendedSchemaObjects.Add(CheckTables.StateTable(schema));
        opts.Projections.Add(new CheckFreshnessProjection(schema), ProjectionLifecycle.Inline, CheckFreshnessProjection.Name, o =>
        {
            foreach (var table in Tables) o.DeleteDataInTableOnTeardown($"{schema}.{table}");
        });
        // Only the marking events are read, by a rebuild too (Marten filters the log by event type).
        var registered = (ProjectionBase)opts.Projections.All.Single(p => p.Name == CheckFreshnessProjection.Name);
        foreach (var type in CheckFreshnessProjection.MarkingEvents) registered.IncludeType(type);
    }
}
