using Ledger.Domain.Entities;
using Ledger.Domain.Ingestion;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;

namespace Ledger.Api.Ingestion;

/// <summary>
/// The ledger's context as the packages of one write extend it, one planned package after another: a bulk load's, an
/// import's (each sees the ledger and the documents before it).
/// </summary>
internal sealed class PlanningContext
{
    private readonly HashSet<string> _entities;
    private readonly Dictionary<string, DateOnly?> _documents;
    private readonly HashSet<string> _policyChanges;
    private readonly Dictionary<string, FiscalCalendar> _calendars;

    public PlanningContext(LedgerContext ledger)
    {
        _entities = new HashSet<string>(ledger.Entities, StringComparer.Ordinal);
        _documents = new Dictionary<string, DateOnly?>(ledger.Documents, StringComparer.Ordinal);
        _policyChanges = new HashSet<string>(ledger.PolicyChanges, StringComparer.Ordinal);
        _calendars = new Dictionary<string, FiscalCalendar>(ledger.Calendars ?? new Dictionary<string, FiscalCalendar>(), StringComparer.Ordinal);
        Context = new LedgerContext(_entities, _documents, _policyChanges, _calendars);
    }

    public LedgerContext Context { get; }

    public void Add(PackagePlan plan)
    {
        _documents[plan.DocumentId] = plan.PublishedOn;
        foreach (var e in plan.Events.Select(p => p.Event))
        {
            if (e is EntityRegistered r)
            {
                _entities.Add(r.Entity);
                if (FiscalCalendar.TryParse(r.FiscalYearEnd, out var calendar)) _calendars[r.Entity] = calendar;
            }
            if (e is AccountingPolicyChangeAdopted a) _policyChanges.Add(a.PolicyChange);
        }
    }
}
