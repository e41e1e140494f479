using JasperFx.Events;
using Ledger.Domain.Events;
using Ledger.Domain.History;
using Ledger.Domain.Values;
using Marten.Events.Aggregation;

namespace Ledger.Projections;

/// <summary>
/// The audit history of one figure: every statement any document made about it, and the timeline
/// derived from them in knowledge order. Current and point-in-time values are read from it.
/// </summary>
public sealed class FigureHistory
{
    public string Id { get; set; } = "";
    public string Entity { get; set; } = "";
    public string Concept { get; set; } = "";
    public string Period { get; set; } = "";
    public string Scope { get; set; } = "";
    public string Dimensions { get; set; } = "";
    public List<StatedValue> Statements { get; set; } = [];
    public List<TranscriptionCorrection> Corrections { get; set; } = [];
    public List<TimelineEntry> Timeline { get; set; } = [];
    /// <summary>The current value, kept on the document so that lists can be filtered and sorted in SQL.</summary>
    public Amount? Current { get; set; }
    public bool Restated { get; set; }
}

/// <summary>A fix to the ledger's own transcription, kept apart from the company's restatements.</summary>
public sealed record TranscriptionCorrection(
    string DocumentId, IReadOnlyList<Statement> Previous, IReadOnlyList<Statement> Corrected, string Reason, Recording Recording);

/// <summary>
/// Inline: ingestion reads the current values to flag restatements whose "before" disagrees, and
/// reads after a POST must see the figures at once. One small document per figure keeps it cheap.
/// </summary>
public sealed class FigureHistoryProjection : SingleStreamProjection<FigureHistory, string>
{
    public FigureHistoryProjection()
    {
        // Only these events concern the view; without the filter every stream's events would reach it.
        IncludeType<FigureDisclosed>();
        IncludeType<FigureRestated>();
        IncludeType<DisclosureCorrected>();
        // Rebuilds read and write in large batches: one small document per figure, hundreds of thousands of figures.
        Options.BatchSize = 5000;
    }

    public override FigureHistory? Evolve(FigureHistory? snapshot, string id, IEvent e)
    {
        var history = snapshot ?? New(id);
        switch (e.Data)
        {
            case FigureDisclosed d:
                Add(history, d);
                break;
            case FigureRestated r:
                Add(history, r);
                break;
            case DisclosureCorrected c:
                history.Corrections.Add(new TranscriptionCorrection(c.DocumentId, c.Previous,
                    [.. c.Disclosures.Select(d => d.Value), .. c.Restatements.Select(r => r.After)], c.Recording.Reason, c.Recording));
                // Everything the document said, and everything it cited, is replaced by what it really says.
                history.Statements.RemoveAll(s => (s.Document.Id == c.DocumentId && s.Kind != StatementKinds.Cited) || s.CitedBy == c.DocumentId);
                foreach (var d in c.Disclosures) Add(history, d);
                foreach (var r in c.Restatements) Add(history, r);
                break;
            default:
                return snapshot;
        }
        Derive(history);
        return history;
    }

    private static void Add(FigureHistory history, FigureDisclosed d) =>
        history.Statements.Add(d.CitedFrom is { } cited
            // Printed as the earlier document reported it: that document's statement, known through this one.
            ? new StatedValue(StatementKinds.Cited, cited, d.Sequence, d.Value, d.Location, [], null, null, d.Document.Id, d.Recording, d.Note)
            : new StatedValue(StatementKinds.Disclosure, d.Document, d.Sequence, d.Value, d.Location, [], null, null, null, d.Recording, d.Note));

    private static void Add(FigureHistory history, FigureRestated r)
    {
        history.Statements.Add(new StatedValue(StatementKinds.Cited, r.PreviousDocument, r.Sequence, r.Before, r.BeforeLocation,
            [], null, null, r.Document.Id, r.Recording));
        history.Statements.Add(new StatedValue(StatementKinds.Restatement, r.Document, r.Sequence, r.After, r.Location,
            r.Reasons, r.Before, r.Adjustment, null, r.Recording, r.Note));
    }

    private static FigureHistory New(string id)
    {
        var key = FigureKey.Parse(id);
        return new FigureHistory
        {
            Id = id, Entity = key.Entity, Concept = key.Concept, Period = key.Period, Scope = key.Scope, Dimensions = key.DimensionsText,
        };
    }

    private static void Derive(FigureHistory h)
    {
        h.Timeline = FigureTimeline.Build(h.Statements).ToList();
        var state = CurrentView.Of(h);
        h.Current = state?.Value;
        h.Restated = state?.Restated ?? false;
    }
}
