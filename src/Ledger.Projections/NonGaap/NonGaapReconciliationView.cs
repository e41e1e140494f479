using JasperFx.Events;
using Ledger.Domain.Checks;
using Ledger.Domain.Events;
using Ledger.Domain.NonGaap;
using Marten.Events.Aggregation;

namespace Ledger.Projections.NonGaap;

/// <summary>One document's bridge from a GAAP figure to a non-GAAP measure, with its arithmetic checked.</summary>
public sealed record ReconciliationEntry(
    DocumentRef Document,
    int Sequence,
    Location Location,
    string Unit,
    ReconciliationLine Start,
    IReadOnlyList<ReconciliationLine> Adjustments,
    ReconciliationLine Total,
    CalculationResult Check);

/// <summary>
/// The non-GAAP view of one measure for one period (and dimension set, e.g. the US$ translation): every
/// reconciliation documents gave of it, each with the recomputed total, the reported total and the verdict.
/// </summary>
public sealed class NonGaapReconciliationView
{
    public string Id { get; set; } = "";
    public string Entity { get; set; } = "";
    public string Measure { get; set; } = "";
    public string Period { get; set; } = "";
    public string Dimensions { get; set; } = "";
    public List<ReconciliationEntry> Reconciliations { get; set; } = [];
}

/// <summary>Inline: small, one per measure and period, and read right after the load that brought it.</summary>
public sealed class NonGaapReconciliationProjection : SingleStreamProjection<NonGaapReconciliationView, string>
{
    public NonGaapReconciliationProjection() => IncludeType<NonGaapReconciliationDisclosed>();

    public override NonGaapReconciliationView? Evolve(NonGaapReconciliationView? snapshot, string id, IEvent e)
    {
        if (e.Data is not NonGaapReconciliationDisclosed r) return snapshot;
        var view = snapshot ?? new NonGaapReconciliationView { Id = id, Entity = r.Entity, Measure = r.Measure, Period = r.Period, Dimensions = r.Dimensions };
        var terms = new[] { new Term(r.Start.Value.Value) }.Concat(r.Adjustments.Select(a => new Term(a.Value.Value))).ToList();
        view.Reconciliations.Add(new ReconciliationEntry(r.Document, r.Sequence, r.Location, r.Unit, r.Start, r.Adjustments, r.Total,
            Calculation.Sum(terms, r.Total.Value.Value)));
        // Knowledge order, then the order within the document, whatever the order of loading.
        view.Reconciliations = view.Reconciliations
            .OrderBy(x => Domain.Figures.FigureTimeline.OrderOf(x.Document)).ThenBy(x => x.Sequence).ToList();
        return view;
    }
}
