using Ledger.Domain.Events;
using Ledger.Domain.Imports;
using Ledger.Domain.Values;

namespace Ledger.Domain.Figures;

public static class StatementKinds
{
    /// <summary>The document states the value itself.</summary>
    public const string Disclosure = "disclosure";
    /// <summary>The document restates the value and says so (调整后 beside 调整前).</summary>
    public const string Restatement = "restatement";
    /// <summary>A value a later document cites as previously reported by this document.</summary>
    public const string Cited = "cited";
}

/// <summary>One thing one document said about a figure, with when the ledger recorded it.</summary>
public sealed record StatedValue(
    string Kind,
    DocumentRef Document,
    int Sequence,
    Statement Value,
    Location Location,
    IReadOnlyList<RestatementReason> Reasons,
    Statement? PrintedBefore,
    Statement? Adjustment,
    string? CitedBy,
    Recording Recording,
    string? Note = null);

public static class EntryKinds
{
    public const string Disclosed = "disclosed";
    /// <summary>A later document states the same value.</summary>
    public const string Reaffirmed = "reaffirmed";
    /// <summary>
    /// A later document states the value differently but within rounding (65,695 thousand as 66 million): the figure did
    /// not change; the more precise value stands.
    /// </summary>
    public const string Represented = "re-presented";
    /// <summary>
    /// A later document changes the value beyond rounding: it says it restates (with its reasons), or it is a filing,
    /// whose data never says so (no reason, or "amendment" from an amendment).
    /// </summary>
    public const string Restated = "restated";
    /// <summary>A later document states a different value without presenting it as a restatement.</summary>
    public const string ChangedWithoutRestatement = "changed-without-restatement";

    /// <summary>The step leaves the figure's value as it was (the more precise of the two values stands).</summary>
    public static bool KeepsValue(string kind) => kind is Reaffirmed or Represented;
}

/// <summary>One step of a figure's history, in knowledge order.</summary>
public sealed record TimelineEntry(
    string Kind,
    string DocumentId,
    DateOnly? PublishedOn,
    bool PublishedOnUnknown,
    DateOnly? KnownNoLaterThan,
    Amount Value,
    string? Printed,
    Amount? Previous,
    decimal? Delta,
    IReadOnlyList<RestatementReason> Reasons,
    bool BeforeDisagreesWithLedger,
    Location Location,
    Recording Recording,
    string? CitedBy);

/// <summary>
/// Orders what documents said about one figure by knowledge time, never by arrival, and classifies
/// each step. Loading documents in any order therefore gives the same history.
/// </summary>
public static class FigureTimeline
{
    /// <summary>
    /// The knowledge order of a document: its publication date; a document known only by citation sorts
    /// at the citing document's date, just before it (it was known no later than that).
    /// </summary>
    public static (DateOnly Date, int Rank, string Id) OrderOf(DocumentRef d) =>
        (d.PublishedOn ?? d.KnownNoLaterThan ?? DateOnly.MinValue, d.PublishedOn is null ? 0 : 1, d.Id);

    /// <summary>
    /// The first date a statement was knowable on: its document's publication date. A document of unknown date is taken
    /// as knowable from the end of the period the figure is about (it cannot report a period before it ends).
    /// </summary>
    public static DateOnly KnownFrom(DocumentRef d, Period period) => d.PublishedOn ?? period.End;

    /// <summary>Whether a statement was knowable on <paramref name="asOf"/> (<see cref="KnownFrom"/>).</summary>
    public static bool KnownOn(DocumentRef d, Period period, DateOnly asOf) => KnownFrom(d, period) <= asOf;

    /// <summary>
    /// A document cited before it was loaded carries no date; once its own package gives one, every
    /// statement attributed to it takes that date.
    /// </summary>
    public static IReadOnlyList<StatedValue> WithKnownDates(IEnumerable<StatedValue> statements)
    {
        var list = statements as IReadOnlyList<StatedValue> ?? statements.ToList();
        // Most figures have no statement without a date: nothing to date (every read folds every figure it returns).
        var undated = false;
        for (var i = 0; i < list.Count; i++) undated |= list[i].Document.PublishedOn is null;
        if (!undated) return list;
        var dated = list.Where(s => s.Document.PublishedOn is not null)
            .GroupBy(s => s.Document.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Document, StringComparer.Ordinal);
        return dated.Count == 0
            ? list
            : list.Select(s => s.Document.PublishedOn is null && dated.TryGetValue(s.Document.Id, out var d) ? s with { Document = d } : s).ToList();
    }

    public static IReadOnlyList<TimelineEntry> Build(IEnumerable<StatedValue> statements)
    {
        var byDocument = EffectivePerDocument(WithKnownDates(statements));

        var entries = new List<TimelineEntry>(byDocument.Count);
        Amount? previous = null;
        foreach (var s in byDocument)
        {
            string kind;
            var beforeDisagrees = false;
            IReadOnlyList<RestatementReason> reasons = s.Kind == StatementKinds.Restatement ? s.Reasons : [];
            if (previous is null) kind = EntryKinds.Disclosed;
            else if (s.Value.Value.AgreesWith(previous) && s.Value.Value.Value == previous.Value) kind = EntryKinds.Reaffirmed;
            // A document that says it restates is taken at its word, even by a last digit that rounding might explain
            // (ZWSOFT's 2022 return on equity, 0.23% restated to 0.22%).
            else if (s.Kind == StatementKinds.Restatement)
            {
                kind = EntryKinds.Restated;
                beforeDisagrees = s.PrintedBefore is { } b && !b.Value.AgreesWith(previous);
            }
            else if (s.Value.Value.AgreesWith(previous)) kind = EntryKinds.Represented;
            else if (s.Document.Form is { } form)
            {
                kind = EntryKinds.Restated;
                reasons = Filings.IsAmendment(form) ? [new RestatementReason(RestatementReasons.Amendment)] : [];
            }
            else kind = EntryKinds.ChangedWithoutRestatement;

            var delta = previous?.Value is { } p && s.Value.Value.Value is { } v && kind != EntryKinds.Reaffirmed ? v - p : (decimal?)null;
            entries.Add(new TimelineEntry(
                kind, s.Document.Id, s.Document.PublishedOn, s.Document.PublishedOn is null, s.Document.KnownNoLaterThan,
                s.Value.Value, s.Value.Printed, previous, delta, reasons,
                beforeDisagrees, s.Location, s.Recording, s.CitedBy));
            if (Replaces(kind, s.Value.Value, previous)) previous = s.Value.Value;
        }
        return entries;
    }

    /// <summary>
    /// One statement per document (<see cref="Effective"/>), in knowledge order (<see cref="OrderOf"/>; documents of the
    /// same order as the ledger learnt them). Written out rather than grouped and sorted by LINQ: every read folds every
    /// figure it returns, and a figure has a handful of statements, mostly one per document (nothing to group then).
    /// </summary>
    private static List<StatedValue> EffectivePerDocument(IReadOnlyList<StatedValue> statements)
    {
        var ordered = new List<StatedValue>(statements.Count);
        if (!RepeatsADocument(statements))
        {
            for (var i = 0; i < statements.Count; i++) InsertInOrder(ordered, statements[i]);
            return ordered;
        }
        var perDocument = new List<List<StatedValue>>(statements.Count);
        foreach (var s in statements)
        {
            var at = 0;
            while (at < perDocument.Count && !string.Equals(perDocument[at][0].Document.Id, s.Document.Id, StringComparison.Ordinal)) at++;
            if (at == perDocument.Count) perDocument.Add([s]);
            else perDocument[at].Add(s);
        }
        foreach (var group in perDocument) InsertInOrder(ordered, group.Count == 1 ? group[0] : Effective(group));
        return ordered;
    }

    private static bool RepeatsADocument(IReadOnlyList<StatedValue> statements)
    {
        for (var i = 1; i < statements.Count; i++)
            for (var j = 0; j < i; j++)
                if (string.Equals(statements[i].Document.Id, statements[j].Document.Id, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>A stable insertion in knowledge order: after every statement of an order not above its own.</summary>
    private static void InsertInOrder(List<StatedValue> ordered, StatedValue statement)
    {
        var key = OrderOf(statement.Document);
        var at = ordered.Count;
        while (at > 0 && OrderOf(ordered[at - 1].Document).CompareTo(key) > 0) at--;
        ordered.Insert(at, statement);
    }

    /// <summary>
    /// What one document says about the figure: its own statements win over what others cite it as
    /// saying; a restatement wins over a plain disclosure of the same value (it carries the reasons);
    /// among equals, the most precise.
    /// </summary>
    private static StatedValue Effective(List<StatedValue> statements)
    {
        var own = statements.Where(s => s.Kind != StatementKinds.Cited).ToList();
        var pool = own.Count > 0 ? own : statements;
        return pool
            .OrderByDescending(s => s.Kind == StatementKinds.Restatement)
            .ThenByDescending(s => s.Value.Value.Decimals ?? int.MaxValue)
            .ThenBy(s => s.Sequence)
            .First();
    }

    public static bool PreciserThan(Amount a, Amount b) => (a.Decimals ?? int.MaxValue) > (b.Decimals ?? int.MaxValue);

    /// <summary>Whether a step's value becomes the figure's: it changes the figure, or it only restates it more precisely.</summary>
    private static bool Replaces(string kind, Amount value, Amount? standing) =>
        standing is null || !EntryKinds.KeepsValue(kind) || PreciserThan(value, standing);

    /// <summary>
    /// The figure's value after the whole timeline: the last value that changed it, or, where later documents only
    /// reaffirmed or re-presented it, the most precise of those.
    /// </summary>
    public static Amount? Standing(IReadOnlyList<TimelineEntry> timeline) => StandingEntry(timeline)?.Value;

    /// <summary>The step whose value stands after the whole timeline (<see cref="Standing"/>): the document that stated it.</summary>
    public static TimelineEntry? StandingEntry(IReadOnlyList<TimelineEntry> timeline)
    {
        TimelineEntry? standing = null;
        for (var i = 0; i < timeline.Count; i++)
            if (Replaces(timeline[i].Kind, timeline[i].Value, standing?.Value)) standing = timeline[i];
        return standing;
    }
}

public static class FigureTimelineAsOf
{
    /// <summary>The timeline as it could be known on <paramref name="asOf"/>: later documents are not yet there.</summary>
    public static IReadOnlyList<TimelineEntry> Build(IEnumerable<StatedValue> statements, Period period, DateOnly? asOf)
    {
        if (asOf is not { } d) return FigureTimeline.Build(statements);
        var dated = FigureTimeline.WithKnownDates(statements);
        var known = new List<StatedValue>(dated.Count);
        for (var i = 0; i < dated.Count; i++)
            if (FigureTimeline.KnownOn(dated[i].Document, period, d)) known.Add(dated[i]);
        return FigureTimeline.Build(known);
    }
}

/// <summary>
/// One figure's timelines as known on several dates (<see cref="FigureTimelineAsOf"/>), for a caller that asks of each date
/// the figure's documents became knowable on: a statement's lines over knowledge time. Where every statement carries its
/// document's date, one date a document, what is known on a date is a first part of the whole timeline (documents come in
/// it by date, and each step is classified by those before it alone), so the timeline is built once and cut at each date;
/// otherwise (a document known only by citation, knowable from the period's end but ordered by the citing date) it is
/// built for each date. Building it for each date was most of what a rebuild allocated working out the lines
/// (docs/benchmarks.md, 2026-12-06).
/// </summary>
public sealed class FigureTimelinesAsOf
{
    private readonly IReadOnlyList<StatedValue> _statements;
    private readonly Period _period;
    private readonly IReadOnlyList<TimelineEntry>? _whole;

    public FigureTimelinesAsOf(IReadOnlyList<StatedValue> statements, Period period)
    {
        _statements = FigureTimeline.WithKnownDates(statements);
        _period = period;
        if (OneDateADocument(_statements)) _whole = FigureTimeline.Build(_statements);
    }

    /// <summary>The statements, each with its document's date where another of its statements gives it (<see cref="FigureTimeline.WithKnownDates"/>).</summary>
    public IReadOnlyList<StatedValue> Statements => _statements;

    /// <summary>Whether the timelines are cut from the whole one (every statement dated, one date a document) rather than built for each date.</summary>
    public bool Cut => _whole is not null;

    /// <summary>The timeline as it could be known on <paramref name="asOf"/>, as <see cref="FigureTimelineAsOf.Build"/> gives it.</summary>
    public IReadOnlyList<TimelineEntry> On(DateOnly asOf)
    {
        if (_whole is null) return FigureTimelineAsOf.Build(_statements, _period, asOf);
        var known = 0;
        while (known < _whole.Count && _whole[known].PublishedOn <= asOf) known++;
        if (known == _whole.Count) return _whole;
        var first = new TimelineEntry[known];
        for (var i = 0; i < known; i++) first[i] = _whole[i];
        return first;
    }

    private static bool OneDateADocument(IReadOnlyList<StatedValue> statements)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i].Document.PublishedOn is null) return false;
            for (var j = 0; j < i; j++)
                if (string.Equals(statements[i].Document.Id, statements[j].Document.Id, StringComparison.Ordinal)
                    && statements[i].Document.PublishedOn != statements[j].Document.PublishedOn) return false;
        }
        return true;
    }
}
