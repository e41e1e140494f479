using JasperFx.Events.Projections;
using Marten;

namespace Ledger.Projections.NonGaap;

/// <summary>Registration of the non-GAAP reconciliations: inline, small (one per measure and period) and read right after a load.</summary>
public static class NonGaapViews
{
    public static void Register(StoreOptions opts)
    {
        opts.Projections.Add<NonGaapReconciliationProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<NonGaapReconciliationView>().Index(x => x.Entity);
    }
}
