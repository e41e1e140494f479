using Ledger.Domain.Entities;
using Ledger.Domain.Values;

namespace Ledger.Domain.Checks;

/// <summary>One declared calculation checked at one period and scope, against the declaring document's own values.</summary>
public sealed record DeclaredCalculationResult(
    CalculationRelation Relation, string TotalFigure, IReadOnlyList<string> MemberFigures, IReadOnlyList<string> MissingMembers, CalculationResult Result);

/// <summary>
/// Checks a document's calculation relations with the Calculations 1.1 rules: each value stands for the interval
/// its decimals allow; a nil or absent member contributes nothing (as in XBRL), and a total with none of its
/// members stated, or a nil total, is not checked.
/// </summary>
public static class DeclaredCalculations
{
    /// <param name="stated">The value the document itself states for a figure key, or null.</param>
    /// <param name="totals">The figure keys of the total the document states (every period and scope).</param>
    /// <param name="wholeNumbers">The relation adds counts: a whole number stated without approximation is exact.</param>
    public static IEnumerable<DeclaredCalculationResult> Check(CalculationRelation relation, IEnumerable<FigureKey> totals, Func<string, Amount?> stated,
        bool wholeNumbers = false)
    {
        if (wholeNumbers)
        {
            var read = stated;
            stated = key => read(key) is { Value: { } v, Approximate: false, LowerBound: false } a && v == decimal.Truncate(v) ? a with { Decimals = null } : read(key);
        }
        foreach (var total in totals)
        {
            if (relation.Scope is { } scope && scope != total.Scope) continue;
            if (relation.Periods.Count > 0 && !relation.Periods.Contains(total.Period)) continue;
            if (stated(total.ToString()) is not { IsNil: false } reported) continue;
            var terms = new List<Term>();
            var present = new List<string>();
            var missing = new List<string>();
            foreach (var m in relation.Members)
            {
                var key = new FigureKey(total.Entity, m.Concept, total.Period, total.Scope, FigureKey.ParseDimensions(m.Dimensions)).ToString();
                if (stated(key) is { IsNil: false } value) { terms.Add(new Term(value, m.Weight)); present.Add(key); }
                else missing.Add(key);
            }
            if (terms.Count == 0) continue;
            yield return new DeclaredCalculationResult(relation, total.ToString(), present, missing, Calculation.Sum(terms, reported));
        }
    }
}
