using JasperFx.Events;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Marten.Events.Projections;

namespace Ledger.Projections;

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

    public static string IdOf(string documentId, string figure) => $"{documentId}#{figure}";
}

/// <summary>Inline: the as-reported view is what preparers check right after a load.</summary>
public sealed class AsReportedFigureProjection : MultiStreamProjection<AsReportedFigure, string>
{
    public AsReportedFigureProjection()
    {
        Identity<FigureDisclosed>(e => AsReportedFigure.IdOf(e.CitedFrom?.Id ?? e.Document.Id, e.Figure));
        Identities<FigureRestated>(e => [AsReportedFigure.IdOf(e.Document.Id, e.Figure), AsReportedFigure.IdOf(e.PreviousDocument.Id, e.Figure)]);
        Options.BatchSize = 5000; // see FigureHistoryProjection
        Identities<DisclosureCorrected>(e =>
        [
            AsReportedFigure.IdOf(e.DocumentId, e.Figure),
            .. e.Restatements.Select(r => r.PreviousDocument.Id).Concat(e.Disclosures.Where(d => d.CitedFrom is not null).Select(d => d.CitedFrom!.Id))
                .Concat(e.PreviouslyCited ?? []).Distinct().Select(d => AsReportedFigure.IdOf(d, e.Figure)),
        ]);
    }

    public override AsReportedFigure? Evolve(AsReportedFigure? snapshot, string id, IEvent e)
    {
        switch (e.Data)
        {
            case FigureDisclosed { CitedFrom: { } cited } d:
                // As with a restatement's "before": the cited value never overrides the earlier document's own package.
                return snapshot is { CitedBy: null } ? snapshot : Stated(snapshot, id, d.Figure, cited, d.Value, d.Location, d.Document.Id);
            case FigureDisclosed d:
                return Stated(snapshot, id, d.Figure, d.Document, d.Value, d.Location, citedBy: null);
            case FigureRestated r when id == AsReportedFigure.IdOf(r.Document.Id, r.Figure):
                return Stated(snapshot, id, r.Figure, r.Document, r.After, r.Location, citedBy: null);
            case FigureRestated r:
                // The cited value never overrides what the earlier document's own package says.
                return snapshot is { CitedBy: null } ? snapshot : Stated(snapshot, id, r.Figure, r.PreviousDocument, r.Before, r.BeforeLocation, r.Document.Id);
            case DisclosureCorrected c when id == AsReportedFigure.IdOf(c.DocumentId, c.Figure):
            {
                // What the document really states replaces the ledger's transcription; nothing, when it states nothing.
                AsReportedFigure? corrected = null;
                foreach (var d in c.Disclosures.Where(d => d.CitedFrom is null)) corrected = Stated(corrected, id, d.Figure, d.Document, d.Value, d.Location, citedBy: null);
                foreach (var r in c.Restatements) corrected = Stated(corrected, id, r.Figure, r.Document, r.After, r.Location, citedBy: null);
                if (corrected is not null) corrected.TranscriptionCorrected = true;
                return corrected;
            }
            case DisclosureCorrected c:
            {
                // The earlier document's own package always stands; a citation follows what the corrected package cites.
                if (snapshot is { CitedBy: null }) return snapshot;
                var cited = c.Restatements.FirstOrDefault(r => id == AsReportedFigure.IdOf(r.PreviousDocument.Id, c.Figure));
                if (cited is not null) return Stated(null, id, c.Figure, cited.PreviousDocument, cited.Before, cited.BeforeLocation, c.DocumentId);
                var quoted = c.Disclosures.FirstOrDefault(d => d.CitedFrom is { } f && id == AsReportedFigure.IdOf(f.Id, c.Figure));
                if (quoted is not null) return Stated(null, id, c.Figure, quoted.CitedFrom!, quoted.Value, quoted.Location, c.DocumentId);
                // No longer cited by this document: gone, when this document was the one citing it.
                return snapshot?.CitedBy == c.DocumentId ? null : snapshot;
            }
            default:
                return snapshot;
        }
    }

    private static AsReportedFigure Stated(AsReportedFigure? current, string id, string figure, DocumentRef document, Statement value, Location location, string? citedBy)
    {
        // Among several statements of one figure in one document, the most precise stands.
        if (current is { CitedBy: null } && citedBy is null && (current.Value.Value.Decimals ?? int.MaxValue) >= (value.Value.Decimals ?? int.MaxValue))
            return current;
        var key = FigureKey.Parse(figure);
        return new AsReportedFigure
        {
            Id = id, DocumentId = document.Id, PublishedOn = document.PublishedOn, KnownNoLaterThan = document.KnownNoLaterThan,
            Figure = figure, Entity = key.Entity, Concept = key.Concept, Period = key.Period, Scope = key.Scope, Dimensions = key.DimensionsText,
            Value = value, Location = location, CitedBy = citedBy, TranscriptionCorrected = current?.TranscriptionCorrected ?? false,
        };
    }
}
