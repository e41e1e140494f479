using Ledger.Domain.Events;
using Ledger.Domain.History;
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
    public static FigureHistory Of(string id, List<StatedValue> statements, List<TranscriptionCorrection> corrections)
    {
        var key = FigureKey.Parse(id);
        var history = new FigureHistory
        {
            Id = id, Entity = key.Entity, Concept = key.Concept, Period = key.Period, Scope = key.Scope, Dimensions = key.DimensionsText,
            Statements = statements, Corrections = corrections,
        };
        history.Timeline = FigureTimeline.Build(statements).ToList();
        var state = CurrentView.Of(history);
        history.Current = state?.Value;
        history.Restated = state?.Restated ?? false;
        return history;
    }

    public string Id { get; set; } = "";
    public string Entity { get; set; } = "";
    public string Concept { get; set; } = "";
    public string Period { get; set; } = "";
    public string Scope { get; set; } = "";
    public string Dimensions { get; set; } = "";
    public List<StatedValue> Statements { get; set; } = [];
    public List<TranscriptionCorrection> Corrections { get; set; } = [];
    public List<TimelineEntry> Timeline { get; set; } = [];
    public Amount? Current { get; set; }
    public bool Restated { get; set; }
}

/// <summary>A fix to the ledger's own transcription, kept apart from the company's restatements.</summary>
public sealed record TranscriptionCorrection(
    string DocumentId, IReadOnlyList<Statement> Previous, IReadOnlyList<Statement> Corrected, string Reason, Recording Recording);

