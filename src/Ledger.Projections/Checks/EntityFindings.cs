using Ledger.Domain.Concepts;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Ledger.Projections.NonGaap;
using Marten;

namespace Ledger.Projections.Checks;

/// <summary>The checks of one entity over figures already read: its non-GAAP reconciliations are read here, the rest is <see cref="ConsistencyChecks"/>.</summary>
public static class EntityFindings
{
    public static async Task<IReadOnlyList<Finding>> ForAsync(IQuerySession session, EntityProfile profile, IReadOnlyList<FigureHistory> figures,
        ConceptCatalog catalog, CancellationToken ct)
    {
        var reconciliations = await session.Query<NonGaapReconciliationView>().Where(r => r.Entity == profile.Entity).ToListAsync(ct);
        var calculations = await session.LoadAsync<EntityCalculations>(profile.Id, ct);
        return ConsistencyChecks.For(profile.Entity, figures, reconciliations, profile, calculations?.Declared ?? [], catalog);
    }
}
