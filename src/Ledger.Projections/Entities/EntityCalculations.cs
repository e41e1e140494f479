using JasperFx.Events;
using Ledger.Domain.Entities;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Entities;

/// <summary>The calculation relations an entity's documents declared (totals and their members), one entry per document, for the checks.</summary>
public sealed class EntityCalculations
{
    public string Id { get; set; } = "";
    public List<CalculationRelationsDeclared> Declared { get; set; } = [];
}

/// <summary>
/// Inline, like the profile it was split from: the checks worked out on the first read after a load find the relations
/// that load declared. Apart from the profile because only the checks read them, and they are large (hundreds per
/// report), while the profile is read by every figure request.
/// </summary>
public sealed class EntityCalculationsProjection : SingleStreamProjection<EntityCalculations, string>
{
    public EntityCalculationsProjection() => IncludeType<CalculationRelationsDeclared>();

    public override EntityCalculations? Evolve(EntityCalculations? snapshot, string id, IEvent e)
    {
        if (e.Data is not CalculationRelationsDeclared c) return snapshot;
        var calculations = snapshot ?? new EntityCalculations { Id = id };
        // A document declares its relations once; declared again (a correction), the later list replaces the earlier.
        calculations.Declared.RemoveAll(x => x.Document.Id == c.Document.Id);
        calculations.Declared.Add(c);
        return calculations;
    }
}
