using System.Globalization;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;

namespace Ledger.Api.Figures;

/// <summary>
/// A value on the wire: money travels as a string, with its unit and decimals beside it; <c>lowerBound</c>
/// appears (true) only for a printed "more than".
/// </summary>
public sealed record ValueView(string? Value, string Unit, string? Decimals, string? Nil, bool Approximate, bool? LowerBound = null)
{
    public static ValueView? Of(Amount? a) => a is null ? null : new(
        a.ValueText, a.Unit, a.Decimals?.ToString(CultureInfo.InvariantCulture) ?? (a.IsNil ? null : "INF"),
        a.Nil switch { NilKind.Nil => "nil", NilKind.NotApplicable => "not-applicable", _ => null }, a.Approximate, a.LowerBound ? true : null);
}

public sealed record DocumentView(string Id, string? PublishedOn, bool PublishedOnUnknown, string? KnownNoLaterThan)
{
    public static DocumentView Of(string id, DateOnly? publishedOn, DateOnly? knownNoLaterThan = null) =>
        new(id, Date(publishedOn), publishedOn is null, Date(knownNoLaterThan));

    public static DocumentView Of(DocumentRef d) => Of(d.Id, d.PublishedOn, d.KnownNoLaterThan);

    public static DocumentView Of(TimelineEntry t) => Of(t.DocumentId, t.PublishedOn, t.KnownNoLaterThan);

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record FigureView(
    string Figure, string Entity, string Concept, string Period, string Scope, string Dimensions, string? AsOf,
    ValueView? Current, ValueView? Original, bool Restated, DocumentView? LastChangedBy, DocumentView? FirstReportedIn,
    IReadOnlyList<RestatementReason> LastReasons)
{
    public static FigureView Of(FigureState s, string? asOf) =>
        new(s.Figure.Id, s.Figure.Entity, s.Figure.Concept, s.Figure.Period, s.Figure.Scope, s.Figure.Dimensions, asOf,
            ValueView.Of(s.Value), ValueView.Of(s.Original), s.Restated, DocumentView.Of(s.LastChange), DocumentView.Of(s.First), s.LastChange.Reasons);
}

public sealed record HistoryEntryView(
    string Kind, ValueView Value, string? Printed, ValueView? Previous, string? Delta, IReadOnlyList<RestatementReason> Reasons,
    bool BeforeDisagreesWithLedger, DocumentView Document, Location Location, RecordingView Recording, string? CitedBy);

/// <summary>Who recorded a step (the API key's name), when, why, and under which request.</summary>
public sealed record RecordingView(string RecordedBy, DateTimeOffset RecordedAt, string Reason, string? CorrelationId)
{
    public static RecordingView Of(Recording r) => new(r.RecordedBy, r.RecordedAt, r.Reason, r.CorrelationId);
}

public sealed record CorrectionView(string DocumentId, IReadOnlyList<ValueView> Previous, IReadOnlyList<ValueView> Corrected, string Reason, RecordingView Recording);

public sealed record HistoryView(string Figure, string? AsOf, IReadOnlyList<HistoryEntryView> Entries, IReadOnlyList<CorrectionView> TranscriptionCorrections);

/// <summary>The as-known-on date of a read: <c>asOf</c> as yyyy-MM-dd, or none.</summary>
public static class AsOf
{
    public static bool TryParse(string? asOf, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(asOf)) return true;
        if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }

    /// <summary>The date of an <c>asOf</c> already validated.</summary>
    public static DateOnly? Of(string? asOf) => TryParse(asOf, out var d) ? d : throw new FormatException($"'{asOf}' is not a date (yyyy-MM-dd)");
}
