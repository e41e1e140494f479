using JasperFx.Events.Projections;
using Marten;

namespace Ledger.Projections.Entities;

/// <summary>
/// Registration of the entity profiles and their declared calculations: inline, as ingestion validates the next package
/// against the profile (standard, currency), and the checks read right after a load need the relations it declared.
/// </summary>
public static class EntityViews
{
    public static void Register(StoreOptions opts)
    {
        opts.Projections.Add<EntityProfileProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<EntityCalculationsProjection>(ProjectionLifecycle.Inline);
    }
}
