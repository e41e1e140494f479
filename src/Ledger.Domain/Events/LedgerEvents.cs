using Ledger.Domain.Documents;
using Ledger.Domain.Entities;
using Ledger.Domain.Figures;
using Ledger.Domain.NonGaap;
using Ledger.Domain.PolicyChanges;

namespace Ledger.Domain.Events;

/// <summary>Every event the ledger records, each in its feature's folder.</summary>
public static class LedgerEvents
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(DocumentRecorded), typeof(DocumentTranscriptionCorrected),
        typeof(FigureDisclosed), typeof(FigureRestated), typeof(DisclosureCorrected),
        typeof(EntityRegistered), typeof(CalculationRelationsDeclared),
        typeof(AccountingPolicyChangeAdopted),
        typeof(NonGaapReconciliationDisclosed),
    ];
}
