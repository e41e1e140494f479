using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Projections.Figures;

/// <summary>
/// One document's figure exactly as that document stated it. A value a later document cites as
/// "previously reported" (调整前) belongs to the earlier document and appears here under it, marked
/// as known only by citation until that document itself is loaded.
/// </summary>
public sealed class AsReportedFigure
{
    public string Id { get; set; } = "";
    public string DocumentId { get; set; } = "";
    public DateOnly? PublishedOn { get; set; }
    public DateOnly? KnownNoLaterThan { get; set; }
    public string Figure { get; set; } = "";
    public string Entity { get; set; } = "";
    public string Concept { get; set; } = "";
    public string Period { get; set; } = "";
    public string Scope { get; set; } = "";
    public string Dimensions { get; set; } = "";
    public Statement Value { get; set; } = null!;
    public Location Location { get; set; } = new();
    /// <summary>The document that cited this value, when this document's own package is not in the ledger.</summary>
    public string? CitedBy { get; set; }
    public bool TranscriptionCorrected { get; set; }
    /// <summary>
    /// Where the document restates the figure: its restatement (the most precise, as the timeline takes it, whether or not
    /// it is the value shown), and the value as previously reported that it names (the earlier document's, cited).
    /// What an export needs to say that the document restated, not only what it stated.
    /// </summary>
    public StatedValue? Restatement { get; set; }
    public StatedValue? RestatedFrom { get; set; }

    public static string IdOf(string documentId, string figure) => $"{documentId}#{figure}";

    /// <summary>Known on a date: once its document is published; a document of unknown date once the period has ended.</summary>
    public bool KnownOn(DateOnly asOf) => PublishedOn is { } published ? published <= asOf : Ledger.Domain.Values.Period.Parse(Period).End <= asOf;
}

/// <summary>
/// The as-reported rule, applied at read time to what the ledger holds of one figure from one document: the
/// document's own statements win (among several, the most precise, the first of equals); a value known only because
/// later documents cite it is the latest citation's. <see cref="AsReportedFigure.TranscriptionCorrected"/> says the
/// ledger's transcription of the document's own value was fixed.
/// </summary>
public static class AsReported
{
    public static AsReportedFigure? Of(string documentId, string figure, IEnumerable<StatedValue> statements, bool transcriptionCorrected)
    {
        StatedValue? own = null, cited = null, restatement = null;
        var citedByThis = new List<StatedValue>();
        foreach (var s in statements)
        {
            if (s.Kind == StatementKinds.Cited && s.CitedBy == documentId) citedByThis.Add(s);
            if (s.Document.Id != documentId) continue;
            if (s.Kind == StatementKinds.Cited) cited = s;
            else if (own is null || (own.Value.Value.Decimals ?? int.MaxValue) < (s.Value.Value.Decimals ?? int.MaxValue)) own = s;
            if (s.Kind == StatementKinds.Restatement && (restatement is null || (restatement.Value.Value.Decimals ?? int.MaxValue) < (s.Value.Value.Decimals ?? int.MaxValue)))
                restatement = s;
        }
        if ((own ?? cited) is not { } chosen) return null;
        var key = FigureKey.Parse(figure);
        return new AsReportedFigure
        {
            Id = AsReportedFigure.IdOf(documentId, figure), DocumentId = documentId,
            PublishedOn = chosen.Document.PublishedOn, KnownNoLaterThan = chosen.Document.KnownNoLaterThan,
            Figure = figure, Entity = key.Entity, Concept = key.Concept, Period = key.Period, Scope = key.Scope, Dimensions = key.DimensionsText,
            Value = chosen.Value, Location = chosen.Location, CitedBy = own is null ? chosen.CitedBy : null,
            TranscriptionCorrected = own is not null && transcriptionCorrected,
            // A restatement's "before" is written with it, as the earlier document's row cited by this one (the same sequence).
            Restatement = restatement,
            RestatedFrom = restatement is null ? null : citedByThis.FirstOrDefault(c => c.Sequence == restatement.Sequence),
        };
    }
}
