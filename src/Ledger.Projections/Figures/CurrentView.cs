using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Projections.Figures;

/// <summary>
/// Where a figure stands at one moment of knowledge: its value and the step that stated it (after a re-presentation, the
/// more precise of the two statements), its first value, and what last changed it.
/// </summary>
public sealed record FigureState(
    FigureHistory Figure,
    Amount Value,
    Amount Original,
    bool Restated,
    TimelineEntry LastChange,
    TimelineEntry First,
    IReadOnlyList<TimelineEntry> Timeline,
    TimelineEntry ValueFrom)
{
    public static FigureState? From(FigureHistory figure, IReadOnlyList<TimelineEntry> timeline)
    {
        if (timeline.Count == 0) return null;
        var standing = FigureTimeline.StandingEntry(timeline)!;
        // Indexed loops, not LINQ or foreach over the interface (an enumerator a call): every line of every statement comes here.
        var restated = false;
        var lastChange = timeline[0];
        for (var i = 0; i < timeline.Count; i++)
        {
            var t = timeline[i];
            restated |= t.Kind is EntryKinds.Restated or EntryKinds.ChangedWithoutRestatement;
            if (!EntryKinds.KeepsValue(t.Kind)) lastChange = t;
        }
        return new FigureState(figure, standing.Value, timeline[0].Value, restated, lastChange, timeline[0], timeline, standing);
    }
}

/// <summary>
/// The current view: the latest value of every figure. It is the head of the figure's audit history
/// (<see cref="FigureHistory"/>), which already holds every statement in knowledge order; storing it
/// a second time would only add a copy to keep in step.
/// </summary>
public static class CurrentView
{
    public static FigureState? Of(FigureHistory figure) => FigureState.From(figure, figure.Timeline);
}

/// <summary>
/// The point-in-time view: a figure as known on a date, by publication date, never by recording time.
/// Computed from the history's statements for any date, so no date needs to be foreseen.
/// </summary>
public static class PointInTimeView
{
    public static FigureState? Of(FigureHistory figure, DateOnly asOf) =>
        FigureState.From(figure, FigureTimelineAsOf.Build(figure.Statements, Period.Parse(figure.Period), asOf));

    public static FigureState? Of(FigureHistory figure, DateOnly? asOf) => asOf is { } d ? Of(figure, d) : CurrentView.Of(figure);
}
