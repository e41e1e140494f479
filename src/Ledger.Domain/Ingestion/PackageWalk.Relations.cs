using Ledger.Domain.Concepts;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.NonGaap;
using Ledger.Domain.Values;

namespace Ledger.Domain.Ingestion;

// What relates figures: non-GAAP reconciliations (a measure bridged from a GAAP figure) and calculations (a total and its members).
internal sealed partial class PackageWalk
{
    private void ReadReconciliation(PackageReconciliation r, string path)
    {
        var measure = Required(r.Measure, path + ".measure");
        if (measure.Length > 0 && !catalog.TryGet(measure, out _)) Error(path + ".measure", $"unknown concept '{measure}'");
        var period = Required(r.Period, path + ".period");
        Period? resolved = null;
        if (period.Length > 0 && !_calendar.TryResolve(period, out resolved)) Error(path + ".period", $"'{period}' is not a period ({Period.Forms})");
        var unit = Required(r.Unit, path + ".unit");
        if (unit.Length > 0 && !Units.IsCurrency(unit)) Error(path + ".unit", $"'{unit}' is not a currency");

        ReconciliationLine? Line(PackageReconciliationLine? l, string p)
        {
            if (l is null) { Error(p, "is required"); return null; }
            var label = Required(l.Label, p + ".label");
            if (l.Concept is not null && !catalog.TryGet(l.Concept, out _)) Error(p + ".concept", $"unknown concept '{l.Concept}'");
            var v = Value(l, r.Scale, unit, p);
            return v is null ? null : new ReconciliationLine(label, l.Concept, v);
        }

        var start = Line(r.Start, path + ".start");
        var adjustments = new List<ReconciliationLine>();
        var list = r.Adjustments ?? [];
        if (list.Count == 0) Error(path + ".adjustments", "at least one adjustment line is required");
        foreach (var (a, ap) in Each(list, path + ".adjustments"))
            if (Line(a, ap) is { } l) adjustments.Add(l);
        var total = Line(r.Total, path + ".total");
        var dims = Dimensions(r.Dims, path + ".dims");
        if (start is null || total is null || adjustments.Count != list.Count || Errors.Count > 0) return;

        _events.Add(new PlannedEvent(StreamKeys.Reconciliation(_entity, measure, resolved!.Id, dims),
            new NonGaapReconciliationDisclosed(_entity, measure, resolved.Id, dims, unit, start, adjustments, total,
                _document, ++_sequence, r.Location ?? new Location(), recording)));
    }

    /// <summary>What a calculation can add: amounts, counts (people, meetings, patents) and numbers of shares; not ratios or per-share amounts.</summary>
    private static bool Additive(DataType type) => type is DataType.Monetary or DataType.Count or DataType.Shares;

    private static string Kind(DataType type) => type switch
    {
        DataType.Monetary => "amount", DataType.PerShare => "per-share amount", DataType.Ratio => "ratio",
        DataType.Count => "count", DataType.Shares => "number of shares", _ => type.ToString(),
    };

    private void ReadCalculations(IReadOnlyList<PackageCalculation>? calculations)
    {
        var relations = new List<CalculationRelation>();
        foreach (var (c, path) in Each(calculations, "$.calculations"))
        {
            var totalId = Required(c.Total, path + ".total");
            Concept? total = null;
            if (totalId.Length > 0 && !catalog.TryGet(totalId, out total)) Error(path + ".total", $"unknown concept '{totalId}'");
            if (total is not null && !Additive(total.DataType))
                Error(path + ".total", $"{totalId} is a {Kind(total.DataType)}; calculations add amounts, counts or numbers of shares");
            if (c.Scope is not null && !Scopes.IsKnown(c.Scope)) Error(path + ".scope", $"'{c.Scope}' is not consolidated or parent");
            var dims = Dimensions(c.Dims, path + ".dims");
            var members = new List<CalculationMember>();
            if ((c.Members?.Count ?? 0) == 0) Error(path + ".members", "at least one member is required");
            foreach (var (m, mp) in Each(c.Members, path + ".members"))
            {
                var id = Required(m.Concept, mp + ".concept");
                Concept? concept = null;
                if (id.Length > 0 && !catalog.TryGet(id, out concept)) Error(mp + ".concept", $"unknown concept '{id}'");
                if (concept is not null && total is not null && concept.PeriodType != total.PeriodType)
                    Error(mp + ".concept", $"{id} and the total {totalId} are not measured over the same kind of period");
                if (concept is not null && !Additive(concept.DataType))
                    Error(mp + ".concept", $"{id} is a {Kind(concept.DataType)}; calculations add amounts, counts or numbers of shares");
                else if (concept is not null && total is not null && Additive(total.DataType) && concept.DataType != total.DataType)
                    Error(mp + ".concept", $"{id} is a {Kind(concept.DataType)} and the total {totalId} a {Kind(total.DataType)}; a calculation adds like with like");
                var weight = m.Weight ?? 1;
                if (weight is not (1 or -1)) Error(mp + ".weight", "must be 1 or -1");
                var memberDims = m.Dims is null ? dims : Dimensions(m.Dims, mp + ".dims");
                if (id == totalId && memberDims == dims) Error(mp + ".concept", "a member cannot be the total itself");
                members.Add(new CalculationMember(id, weight, memberDims));
            }
            var periods = new List<string>();
            for (var i = 0; i < (c.Periods?.Count ?? 0); i++)
            {
                var text = c.Periods![i];
                if (string.IsNullOrWhiteSpace(text) || !_calendar.TryResolve(text, out var period))
                    Error($"{path}.periods[{i}]", $"'{text}' is not a period ({Period.Forms})");
                else if (total is not null && period.Type != total.PeriodType)
                    Error($"{path}.periods[{i}]", $"'{text}' is not the kind of period {totalId} is measured over");
                else periods.Add(period.Id);
            }
            relations.Add(new CalculationRelation(totalId, dims, c.Scope, members, c.Location ?? new Location(), periods));
        }
        if (relations.Count > 0 && Errors.Count == 0)
            _events.Add(new PlannedEvent(StreamKeys.Entity(_entity), new CalculationRelationsDeclared(_entity, _document, relations, recording)));
    }
}
