using Ledger.Domain.Events;

namespace Ledger.Domain.NonGaap;

/// <summary>One line of a non-GAAP bridge as printed, with the sign it enters the sum with.</summary>
public sealed record ReconciliationLine(string Label, string? Concept, Statement Value);

/// <summary>
/// A document reconciles a non-GAAP measure from a GAAP figure.
/// Stream key: <c>reconciliation:{entity}|{measure}|{period}|{dims}</c>.
/// </summary>
public sealed record NonGaapReconciliationDisclosed(
    string Entity,
    string Measure,
    string Period,
    string Dimensions,
    string Unit,
    ReconciliationLine Start,
    IReadOnlyList<ReconciliationLine> Adjustments,
    ReconciliationLine Total,
    DocumentRef Document,
    int Sequence,
    Location Location,
    Recording Recording);
