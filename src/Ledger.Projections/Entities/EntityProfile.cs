using JasperFx.Events;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Entities;

/// <summary>A reporting company and the accounting policy changes it has adopted.</summary>
public sealed class EntityProfile
{
    public string Id { get; set; } = "";
    public string Entity { get; set; } = "";
    public Dictionary<string, string> Names { get; set; } = [];
    public string Standard { get; set; } = "";
    public string Currency { get; set; } = "";
    /// <summary>When its fiscal year ends (<see cref="FiscalCalendar"/>'s text form); null: 31 December.</summary>
    public string? FiscalYearEnd { get; set; }

    /// <summary>What FY2024, 2024H1 and 2024Q3 mean for the entity.</summary>
    public FiscalCalendar Calendar() =>
        FiscalCalendar.TryParse(FiscalYearEnd, out var calendar) ? calendar : FiscalCalendar.CalendarYear;
    public List<AccountingPolicyChangeAdopted> PolicyChanges { get; set; } = [];
    /// <summary>The calculation relations each document declared, one entry per document.</summary>
    public List<CalculationRelationsDeclared> Calculations { get; set; } = [];
}

/// <summary>Inline: a package may define an entity and the next package, a second later, refer to it.</summary>
public sealed class EntityProfileProjection : SingleStreamProjection<EntityProfile, string>
{
    public EntityProfileProjection()
    {
        // Only these events concern the view; without the filter every stream's events would reach it.
        IncludeType<EntityRegistered>();
        IncludeType<AccountingPolicyChangeAdopted>();
        IncludeType<CalculationRelationsDeclared>();
    }

    public override EntityProfile? Evolve(EntityProfile? snapshot, string id, IEvent e)
    {
        switch (e.Data)
        {
            case EntityRegistered r:
                return new EntityProfile
                {
                    Id = id, Entity = r.Entity, Names = new(r.Names), Standard = r.Standard, Currency = r.Currency, FiscalYearEnd = r.FiscalYearEnd,
                    PolicyChanges = snapshot?.PolicyChanges ?? [],
                    Calculations = snapshot?.Calculations ?? [],
                };
            case AccountingPolicyChangeAdopted a:
                var profile = snapshot ?? new EntityProfile { Id = id, Entity = a.Entity };
                profile.PolicyChanges.RemoveAll(p => p.PolicyChange == a.PolicyChange && p.Document.Id == a.Document.Id);
                profile.PolicyChanges.Add(a);
                return profile;
            case CalculationRelationsDeclared c:
                var declaring = snapshot ?? new EntityProfile { Id = id, Entity = c.Entity };
                declaring.Calculations.RemoveAll(x => x.Document.Id == c.Document.Id);
                declaring.Calculations.Add(c);
                return declaring;
            default:
                return snapshot;
        }
    }
}
