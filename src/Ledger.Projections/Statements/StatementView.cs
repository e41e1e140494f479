using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;

namespace Ledger.Projections.Statements;

/// <summary>One line of a statement: the current value beside the value as originally reported (调整后 / 调整前).</summary>
public sealed record StatementLine(
    string Figure,
    string Concept,
    string Period,
    string Scope,
    string Dimensions,
    string? Table,
    string? Row,
    int? Line,
    Amount Current,
    Amount AsOriginallyReported,
    bool Restated,
    string CurrentFrom,
    DateOnly? CurrentPublishedOn,
    string OriginallyReportedIn,
    bool OriginalPublishedOnUnknown,
    IReadOnlyList<RestatementReason> Reasons);

/// <summary>
/// The statement view: an entity's period laid out as the latest report lays it out (its tables and
/// rows, in the order printed), with the restated value and the value as originally reported side by
/// side. A statement of FY2022 holds the year's flows and the balances at its last day.
/// <para>The service reads a statement's lines as stored (<see cref="StatementLinesRead"/>), each worked out by
/// <see cref="LineOf"/>; <see cref="Build"/> is the statement they must equal, from the figures' histories (tested).</para>
/// </summary>
public static class StatementView
{
    public static IReadOnlyList<StatementLine> Build(IEnumerable<FigureHistory> figures, Period period, DateOnly? asOf)
    {
        var lines = new List<StatementLine>(figures is IReadOnlyCollection<FigureHistory> c ? c.Count : 0);
        var periods = PeriodsOf(period);
        foreach (var figure in figures)
        {
            if (!periods.Contains(figure.Period)) continue;
            if (PointInTimeView.Of(figure, asOf) is not { } state) continue;
            lines.Add(LineOf(figure, state));
        }
        SortAsPrinted(lines);
        return lines;
    }

    /// <summary>The periods a statement of <paramref name="period"/> holds: a duration's also the balances at its last day.</summary>
    public static string[] PeriodsOf(Period period) =>
        period.Type == PeriodType.Duration ? [period.Id, Period.Instant(period.End).Id] : [period.Id];

    /// <summary>A figure's line where it stands (<paramref name="state"/>: now, or as of a date).</summary>
    public static StatementLine LineOf(FigureHistory figure, FigureState state)
    {
        var layout = state.Timeline[^1];
        return new StatementLine(figure.Id, figure.Concept, figure.Period, figure.Scope, figure.Dimensions,
            layout.Location.Table, layout.Location.Row, layout.Location.Line,
            state.Value, state.Original, state.Restated,
            // The document that stated the value shown (after a re-presentation, the more precise statement).
            state.ValueFrom.DocumentId, state.ValueFrom.PublishedOn,
            state.First.DocumentId, state.First.PublishedOnUnknown, state.LastChange.Reasons);
    }

    /// <summary>
    /// The lines in the order the report prints them, in place: each figure makes one line, so no two lines compare equal
    /// and the sort's instability shows nowhere.
    /// </summary>
    public static void SortAsPrinted(List<StatementLine> lines) =>
        lines.Sort(static (a, b) =>
            (a.Line ?? int.MaxValue).CompareTo(b.Line ?? int.MaxValue) is var byLine and not 0 ? byLine : string.CompareOrdinal(a.Figure, b.Figure));
}
