using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Projections.Figures;

/// <summary>
/// The audit history of one figure: every statement any document made about it, and the timeline
/// derived from them in knowledge order. Current and point-in-time values are read from it. Not stored:
/// it is assembled from the figure's stated-value rows at read time (<see cref="Figures.FigureReads"/>).
/// </summary>
public sealed class FigureHistory
{
    /// <summary>A figure's history from its statements (in the order the ledger learnt them) and transcription fixes.</summary>
    public static FigureHistory Of(string id, IReadOnlyList<StatedValue> statements, IReadOnlyList<TranscriptionCorrection> corrections,
        KeyParts? keyParts = null)
    {
        var key = keyParts is null ? FigureKey.Parse(id) : FigureKey.Parse(id, keyParts.Of);
        return new FigureHistory
        {
            Id = id, Entity = key.Entity, Concept = key.Concept, Period = key.Period, Scope = key.Scope, Dimensions = key.DimensionsText,
            Statements = statements, Corrections = corrections,
        };
    }

    public string Id { get; init; } = "";
    public string Entity { get; init; } = "";
    public string Concept { get; init; } = "";
    public string Period { get; init; } = "";
    public string Scope { get; init; } = "";
    public string Dimensions { get; init; } = "";
    public IReadOnlyList<StatedValue> Statements { get; init; } = [];
    public IReadOnlyList<TranscriptionCorrection> Corrections { get; init; } = [];

    // The timeline and the current value are worked out when first asked, from the statements, which never change once
    // read: a statement as of a date asks only for each figure's timeline as of that date (PointInTimeView), and building
    // the whole timeline besides was a quarter of what it allocated.
    private IReadOnlyList<TimelineEntry>? _timeline;
    private (FigureState? State, bool Known) _current;

    public IReadOnlyList<TimelineEntry> Timeline => _timeline ??= FigureTimeline.Build(Statements);
    public Amount? Current => CurrentState?.Value;
    public bool Restated => CurrentState?.Restated ?? false;

    private FigureState? CurrentState
    {
        get
        {
            if (!_current.Known) _current = (CurrentView.Of(this), true);
            return _current.State;
        }
    }
}

/// <summary>A fix to the ledger's own transcription, kept apart from the company's restatements.</summary>
public sealed record TranscriptionCorrection(
    string DocumentId, IReadOnlyList<Statement> Previous, IReadOnlyList<Statement> Corrected, string Reason, Recording Recording);
