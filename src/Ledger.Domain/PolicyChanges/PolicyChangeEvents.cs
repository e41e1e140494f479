using Ledger.Domain.Events;

namespace Ledger.Domain.PolicyChanges;

/// <summary>An effect the adopting document prints for the adoption period itself (影响金额).</summary>
public sealed record PolicyEffect(string Figure, Statement Value, Location Location);

/// <summary>An entity adopts an accounting policy change (e.g. CAS-INTERP-16). Stream key: <c>entity:{id}</c>.</summary>
public sealed record AccountingPolicyChangeAdopted(
    string Entity,
    string PolicyChange,
    string Title,
    DateOnly EffectiveFrom,
    string Transition,
    IReadOnlyList<PolicyEffect> CurrentPeriodEffects,
    DocumentRef Document,
    Location Location,
    Recording Recording);
