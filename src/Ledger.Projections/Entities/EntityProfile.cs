using JasperFx.Events;
using Ledger.Domain.Entities;
using Ledger.Domain.PolicyChanges;
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
    // The calculation relations the entity's documents declared are a view of their own (EntityCalculations): a report
    // declares hundreds (ZWSOFT's 2023 report: 400 KB of JSON), and every read of a figure or statement loads this profile.
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
                };
            case AccountingPolicyChangeAdopted a:
                var profile = snapshot ?? new EntityProfile { Id = id, Entity = a.Entity };
                profile.PolicyChanges.RemoveAll(p => p.PolicyChange == a.PolicyChange && p.Document.Id == a.Document.Id);
                profile.PolicyChanges.Add(a);
                return profile;
            case CalculationRelationsDeclared c:
                // Kept in EntityCalculations; here it only makes the entity known, as it always has.
                return snapshot ?? new EntityProfile { Id = id, Entity = c.Entity };
            default:
                return snapshot;
        }
    }
}
