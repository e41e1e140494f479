using Ledger.Domain.Figures;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;

namespace Ledger.Projections.Statements;

/// <summary>A figure's statement line as it could be known from <see cref="KnownFrom"/> until the day before <see cref="KnownUntil"/> (null: still).</summary>
public sealed record KnownStatementLine(DateOnly KnownFrom, DateOnly? KnownUntil, StatementLine Line);

/// <summary>
/// A figure's statement line over knowledge time, so that a statement, now or as of any date, reads one stored line per
/// figure (<see cref="StatementLineTable"/>) instead of folding each figure's rows at every read.
/// <para>What is known of a figure on a date changes only on the dates its documents became knowable
/// (<see cref="FigureTimeline.KnownFrom"/>: a document's publication date; for one of unknown date, the end of the figure's
/// period): between two such dates the line is the point-in-time view's (<see cref="PointInTimeView"/>) on the first of
/// them, and after the last of them it is the current view's. Consecutive dates that give the same line make one span.</para>
/// </summary>
public static class KnownStatementLines
{
    public static List<KnownStatementLine> Of(FigureHistory figure)
    {
        var spans = new List<KnownStatementLine>(2);
        if (figure.Statements.Count == 0) return spans;
        var period = Period.Parse(figure.Period);
        var timelines = new FigureTimelinesAsOf(figure.Statements, period);
        var dated = timelines.Statements;
        var dates = new List<DateOnly>(dated.Count);
        for (var i = 0; i < dated.Count; i++)
        {
            var date = FigureTimeline.KnownFrom(dated[i].Document, period);
            if (!dates.Contains(date)) dates.Add(date);
        }
        dates.Sort();
        for (var i = 0; i < dates.Count; i++)
        {
            // Never null: the statements of this date are known on it.
            var line = StatementView.LineOf(figure, FigureState.From(figure, timelines.On(dates[i]))!);
            if (spans.Count > 0 && Same(spans[^1].Line, line)) continue;
            if (spans.Count > 0) spans[^1] = spans[^1] with { KnownUntil = dates[i] };
            spans.Add(new KnownStatementLine(dates[i], null, line));
        }
        return spans;
    }

    /// <summary>
    /// Whether two lines read the same, to the decimal's scale (1.0 and 1.00 are equal decimals, printed differently) and
    /// the reasons' contents (a record compares lists by reference).
    /// </summary>
    public static bool Same(StatementLine a, StatementLine b) =>
        SameScale(a.Current, b.Current) && SameScale(a.AsOriginallyReported, b.AsOriginallyReported)
        && a.Reasons.SequenceEqual(b.Reasons)
        // The rest as the record compares it: with the same list of reasons (mostly the one empty list), no copy is needed.
        && (ReferenceEquals(a.Reasons, b.Reasons) ? a == b : a with { Reasons = b.Reasons } == b);

    private static bool SameScale(Amount a, Amount b) => a.Value?.Scale == b.Value?.Scale;
}
