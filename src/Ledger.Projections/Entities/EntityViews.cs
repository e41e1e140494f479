using JasperFx.Events.Projections;
using Marten;

namespace Ledger.Projections.Entities;

/// <summary>Registration of the entity profiles: inline, as ingestion validates the next package against them (standard, currency).</summary>
public static class EntityViews
{
    public static IReadOnlyList<string> Tables { get; } = ["mt_doc_entityprofile"];

    public static void Register(StoreOptions opts) => opts.Projections.Add<EntityProfileProjection>(ProjectionLifecycle.Inline);
}
