using System.Globalization;
using Ledger.Domain.Checks;
using Ledger.Domain.Concepts;
using Ledger.Domain.Entities;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;
using Ledger.Projections.Entities;
using Ledger.Projections.Figures;
using Ledger.Projections.NonGaap;
using Ledger.Projections.PolicyChanges;

namespace Ledger.Projections.Checks;

/// <summary>A check that did not pass: what was checked, the verdict, the gap, the figures and documents involved.</summary>
public sealed record Finding(
    string Entity,
    string Kind,
    string Subject,
    Verdict Verdict,
    string Detail,
    decimal? Gap,
    IReadOnlyList<string> Figures,
    IReadOnlyList<string> Documents);

/// <summary>
/// Every consistency check over an entity's figures: non-GAAP arithmetic and translations, policy-change
/// identities, growth rates, margins and shares against their values, declared calculations, signs against
/// the concepts' balance, duplicate statements within a
/// document, and restatements that disagree with the ledger. Only what fails or cannot be decided is
/// returned; nothing here ever blocks a fact from being recorded.
/// </summary>
public static class ConsistencyChecks
{
    public static IReadOnlyList<Finding> For(
        string entity,
        IReadOnlyList<FigureHistory> figures,
        IReadOnlyList<NonGaapReconciliationView> reconciliations,
        EntityProfile? profile,
        IReadOnlyList<CalculationRelationsDeclared> calculations,
        ConceptCatalog catalog)
    {
        var run = new Run(entity, figures, profile, catalog);
        foreach (var f in figures)
        {
            run.Derived(f);
            run.Duplicates(f);
            run.Signs(f);
            run.Restatements(f);
        }
        run.NonGaapArithmetic(reconciliations);
        run.Calculations(calculations);
        run.PolicyChangeIdentities();
        return run.Findings.OrderBy(x => x.Kind, StringComparer.Ordinal).ThenBy(x => x.Subject, StringComparer.Ordinal).ToList();
    }

    /// <summary>One entity's checks, each a method adding what fails or cannot be decided to <see cref="Findings"/>.</summary>
    private sealed class Run(string entity, IReadOnlyList<FigureHistory> figures, EntityProfile? profile, ConceptCatalog catalog)
    {
        private readonly Dictionary<string, FigureHistory> _byKey = figures.ToDictionary(f => f.Id, StringComparer.Ordinal);

        public List<Finding> Findings { get; } = [];

        /// <summary>A restatement from a value the ledger did not hold, and a value changed without being presented as a restatement.</summary>
        public void Restatements(FigureHistory f)
        {
            foreach (var t in f.Timeline.Where(t => t.BeforeDisagreesWithLedger || t.Kind == EntryKinds.ChangedWithoutRestatement))
                Findings.Add(new Finding(entity, t.BeforeDisagreesWithLedger ? "restatement-before-disagrees" : "changed-without-restatement", f.Id,
                    Verdict.Inconsistent,
                    t.BeforeDisagreesWithLedger
                        ? $"{t.DocumentId} restates from a value other than the {t.Previous} the ledger held"
                        : $"{t.DocumentId} states {t.Value} where the ledger held {t.Previous}, without presenting it as a restatement",
                    t.Delta is { } d ? Math.Abs(d) : null, [f.Id], [t.DocumentId]));
        }

        /// <summary>A non-GAAP reconciliation whose adjustments do not add up to its printed total.</summary>
        public void NonGaapArithmetic(IReadOnlyList<NonGaapReconciliationView> reconciliations)
        {
            foreach (var view in reconciliations)
                foreach (var r in view.Reconciliations.Where(r => r.Check.Verdict is Verdict.Inconsistent or Verdict.Indeterminate))
                    Findings.Add(new Finding(entity, "non-gaap-reconciliation", view.Id, r.Check.Verdict,
                        $"{r.Start.Label} + adjustments = {Text(r.Check.Computed)}, printed {r.Total.Value.Printed}", r.Check.Gap, [], [r.Document.Id]));
        }

        /// <summary>
        /// A document's own arithmetic, checked on the values that document printed (a later restatement does not make an
        /// earlier table add up differently).
        /// </summary>
        public void Calculations(IReadOnlyList<CalculationRelationsDeclared> calculations)
        {
            foreach (var declared in calculations)
            {
                var own = OwnValues(declared.Document.Id);
                // Keys parsed once per document, not once per relation: a report declares hundreds of relations over thousands of figures.
                var byTotal = own.Keys.Select(FigureKey.Parse).ToLookup(k => (k.Concept, k.DimensionsText));
                foreach (var relation in declared.Relations)
                {
                    var totals = byTotal[(relation.Total, relation.Dimensions)]
                        .OrderBy(k => k.Period, StringComparer.Ordinal).ThenBy(k => k.Scope, StringComparer.Ordinal);
                    // People, meetings and patents come in whole numbers: a count printed without decimals is exact, not ±0.5.
                    var counted = catalog.TryGet(relation.Total, out var totalConcept) && totalConcept.DataType == DataType.Count;
                    foreach (var r in DeclaredCalculations.Check(relation, totals, key => own.GetValueOrDefault(key), counted).Where(r => r.Result.Verdict == Verdict.Inconsistent))
                        Findings.Add(new Finding(entity, "calculation", r.TotalFigure, r.Result.Verdict,
                            $"{declared.Document.Id}: Σ {string.Join(" ", relation.Members.Select(m => (m.Weight < 0 ? "− " : "+ ") + m.Concept + (m.Dimensions.Length > 0 ? $"[{m.Dimensions}]" : "")))} = {Text(r.Result.Computed)}, printed {Text(r.Result.Reported)}"
                            + (r.MissingMembers.Count > 0 ? $" (not stated: {string.Join(", ", r.MissingMembers)})" : ""),
                            r.Result.Gap, [r.TotalFigure, .. r.MemberFigures], [declared.Document.Id]));
                }
            }
        }

        /// <summary>A policy change adopted in one report may be described again in the next: checked once, as last described.</summary>
        public void PolicyChangeIdentities()
        {
            foreach (var adoption in (profile?.PolicyChanges ?? []).GroupBy(p => p.PolicyChange).Select(g => g.MaxBy(p => FigureTimeline.OrderOf(p.Document))!))
                foreach (var i in PolicyChangeReconciliationView.Build(adoption, figures, catalog).Identities.Where(i => !i.Holds))
                    Findings.Add(new Finding(entity, "policy-change-identity", $"{adoption.PolicyChange}: {i.Name} {i.Period} {i.Scope}", i.Result.Verdict,
                        $"{i.Statement}: off by {Text(i.Result.Difference)}", i.Result.Gap, i.Figures, [adoption.Document.Id]));
        }

        /// <summary>A growth rate, share of revenue or margin against the values it is worked out from.</summary>
        public void Derived(FigureHistory f)
        {
            if (f.Current is not { } printed) return;
            var dims = FigureKey.ParseDimensions(f.Dimensions).ToDictionary(d => d.Key, d => d.Value);
            var period = Period.Parse(f.Period);
            string? measure;
            bool growth;
            string? numeratorKey, denominatorKey;
            if (f.Concept is "YearOnYearChange" && dims.Remove("measure", out measure))
            {
                growth = true;
                // A change in a balance over the year compares the two closing balances, not the year's "value".
                var balance = period.Type == PeriodType.Duration && catalog.TryGet(measure, out var mc) && mc is { External: false, PeriodType: PeriodType.Instant };
                var prior = PriorYear(period, profile?.Calendar() ?? FiscalCalendar.CalendarYear);
                numeratorKey = new FigureKey(entity, measure, balance ? Period.Instant(period.End).Id : f.Period, f.Scope, dims).ToString();
                denominatorKey = prior is null ? null
                    : new FigureKey(entity, measure, balance ? Period.Instant(Period.Parse(prior).End).Id : prior, f.Scope, dims).ToString();
            }
            else if (f.Concept is "ProportionOfRevenue" && dims.Remove("measure", out measure))
            {
                growth = false;
                numeratorKey = new FigureKey(entity, measure, f.Period, f.Scope, dims).ToString();
                dims.Remove("segment");
                denominatorKey = new FigureKey(entity, "Revenue", f.Period, f.Scope, dims).ToString();
            }
            else if (DerivedFigures.MeasureOfMargin(f.Concept) is { } m && catalog.TryGet(f.Concept, out var c) && c.DataType == DataType.Ratio)
            {
                growth = false;
                numeratorKey = new FigureKey(entity, m, f.Period, f.Scope, dims).ToString();
                denominatorKey = new FigureKey(entity, "Revenue", f.Period, f.Scope, dims).ToString();
            }
            else return;

            var numerators = Stated(numeratorKey);
            var denominators = Stated(denominatorKey);
            var numerator = numerators.FirstOrDefault();
            var denominator = denominators.FirstOrDefault();
            var documents = f.Timeline.Select(t => t.DocumentId).Distinct().ToList();
            if (numerator is null || denominator is null)
            {
                var implied = growth && numerator is not null ? DerivedFigures.ImpliedPrior(numerator, printed) : null;
                Findings.Add(new Finding(entity, growth ? "growth-rate" : "ratio", f.Id, Verdict.Indeterminate,
                    implied is { } i
                        ? $"the prior-period value is not in the ledger; the printed {printed.ValueText} implies it lies in [{Text(i.Low, 0)}, {Text(i.High, 0)}]"
                        : $"{(numerator is null ? numeratorKey : denominatorKey)} is not in the ledger",
                    null, [f.Id, numeratorKey, .. denominatorKey is null ? Array.Empty<string>() : [denominatorKey]], documents));
                return;
            }
            // A ratio printed beside values is computed from those values: the document may state a figure at
            // several precisions (thousands in a table, millions beside the growth rate), and any of them will do.
            var check = numerators.SelectMany(n => denominators.Select(d => DerivedFigures.Ratio(n, d, printed, growth)))
                .OrderBy(r => r.Verdict).ThenBy(r => r.Gap).First();
            if (check.Verdict is Verdict.Inconsistent or Verdict.Indeterminate)
                Findings.Add(new Finding(entity, growth ? "growth-rate" : "ratio", f.Id, check.Verdict,
                    $"printed {printed.ValueText}; the figures give {Text(check.Computed, 6)}", check.Gap, [f.Id, numeratorKey, denominatorKey!], documents));
        }

        // The current value first, then every other value a document stated for the figure.
        private List<Amount> Stated(string? key) =>
            key is not null && _byKey.TryGetValue(key, out var h) && h.Current is { } current
                ? [current, .. h.Statements.Where(s => s.Kind != StatementKinds.Cited).Select(s => s.Value.Value).Where(v => v != current)]
                : [];

        // Per figure, the most precise value the document itself states (not what it cites of earlier documents).
        private Dictionary<string, Amount> OwnValues(string documentId) =>
            figures.Select(f => (f.Id, Value: f.Statements.Where(s => s.Kind != StatementKinds.Cited && s.Document.Id == documentId)
                    .Select(s => s.Value.Value).OrderByDescending(v => v.Decimals ?? int.MaxValue).FirstOrDefault()))
                .Where(x => x.Value is not null).ToDictionary(x => x.Id, x => x.Value!, StringComparer.Ordinal);

        /// <summary>A value of a concept whose balance says it is never negative, stated negative.</summary>
        public void Signs(FigureHistory f)
        {
            if (!catalog.TryGet(f.Concept, out var concept)) return;
            foreach (var s in f.Statements.Where(s => SignCheck.Contradicts(concept, s.Value.Value)).DistinctBy(s => (s.Document.Id, s.Value.Value.Value)))
                Findings.Add(new Finding(entity, "sign", f.Id, Verdict.Inconsistent,
                    $"{s.Document.Id} states {s.Value.Value}{(s.Location.Line is { } line ? $" (line {line})" : "")}: {f.Concept} is a {concept.Balance.ToString()!.ToLowerInvariant()}-balance amount, never negative",
                    Math.Abs(s.Value.Value.Value ?? 0), [f.Id], [s.Document.Id]));
        }

        /// <summary>One document stating two values of a figure that cannot both be it.</summary>
        public void Duplicates(FigureHistory f)
        {
            foreach (var document in f.Statements.Where(s => s.Kind != StatementKinds.Cited).GroupBy(s => s.Document.Id))
            {
                var values = document.Select(s => s.Value.Value).DistinctBy(v => (v.Value, v.Decimals)).ToList();
                for (var i = 0; i < values.Count; i++)
                    for (var j = i + 1; j < values.Count; j++)
                        if (Calculation.Duplicate(values[i], values[j]) == Verdict.Inconsistent)
                            Findings.Add(new Finding(entity, "duplicate", f.Id, Verdict.Inconsistent,
                                $"{document.Key} states {values[i]} and {values[j]}", Math.Abs((values[i].Value ?? 0) - (values[j].Value ?? 0)), [f.Id], [document.Key]));
            }
        }
    }

    /// <summary>
    /// The same period a year earlier, as the entity's figures are keyed: the fiscal year, half or quarter before (a
    /// 52/53-week year's dates move), else the same dates a year earlier.
    /// </summary>
    private static string? PriorYear(Period p, FiscalCalendar calendar)
    {
        var prior = p.Id switch
        {
            var id when id.StartsWith("FY", StringComparison.Ordinal) => $"FY{p.End.Year - 1:D4}",
            var id when id.Length == 6 && (id[4] is 'Q' or 'H') => $"{p.End.Year - 1:D4}{id[4..]}",
            _ when p.Type != PeriodType.Duration => null,
            _ when calendar.FiscalIdOf(p) is { } fiscal && calendar.TryResolve(EarlierYear(fiscal), out var earlier) => earlier.Id,
            _ when p.Start.Year > 1 => Period.Between(p.Start.AddYears(-1), p.End.AddYears(-1)).Id,
            _ => null,
        };
        // Before the calendar's second day there is no period (Period.TryParse), and so no year before to compare with.
        return prior is not null && Period.TryParse(prior, out _) ? prior : null;
    }

    /// <summary>FY2024 → FY2023, 2024Q3 → 2023Q3.</summary>
    private static string EarlierYear(string fiscalId) => fiscalId.StartsWith("FY", StringComparison.Ordinal)
        ? $"FY{int.Parse(fiscalId[2..], CultureInfo.InvariantCulture) - 1:D4}"
        : $"{int.Parse(fiscalId[..^2], CultureInfo.InvariantCulture) - 1:D4}{fiscalId[^2..]}";

    private static string Text(decimal? d, int places = 2) =>
        d is { } x ? Math.Round(x, places).ToString(CultureInfo.InvariantCulture) : "nothing";
}
