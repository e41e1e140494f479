using JasperFx.Events;
using Ledger.Domain.Documents;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Documents;

/// <summary>A loaded document: what it is, when it was published, and the hash of the package it came from.</summary>
public sealed class DocumentSummary
{
    public string Id { get; set; } = "";
    public string DocumentId { get; set; } = "";
    public string Entity { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    public string Language { get; set; } = "";
    public DateOnly PublishedOn { get; set; }
    public string? Source { get; set; }
    /// <summary>For an amendment (10-K/A), the filing it amends, where known.</summary>
    public string? Amends { get; set; }
    public string ContentHash { get; set; } = "";
    public int Facts { get; set; }
    public int Restatements { get; set; }
    public int Reconciliations { get; set; }
    public int TranscriptionCorrections { get; set; }
    public List<ConvenienceTranslation> ConvenienceTranslations { get; set; } = [];
    public DateTimeOffset RecordedAt { get; set; }
    public string RecordedBy { get; set; } = "";
}

/// <summary>Inline: ingestion looks the hash up to answer a repeated package in the same transaction.</summary>
public sealed class DocumentSummaryProjection : SingleStreamProjection<DocumentSummary, string>
{
    public DocumentSummaryProjection()
    {
        // Only these events concern the view; without the filter every stream's events would reach it.
        IncludeType<DocumentRecorded>();
        IncludeType<DocumentTranscriptionCorrected>();
    }

    public override DocumentSummary? Evolve(DocumentSummary? snapshot, string id, IEvent e)
    {
        switch (e.Data)
        {
            case DocumentRecorded r:
                return new DocumentSummary
                {
                    Id = id, DocumentId = r.DocumentId, Entity = r.Entity, Kind = r.Kind, Title = r.Title, Language = r.Language,
                    PublishedOn = r.PublishedOn, Source = r.Source, Amends = r.Amends, ContentHash = r.ContentHash,
                    Facts = r.Facts, Restatements = r.Restatements, Reconciliations = r.Reconciliations,
                    ConvenienceTranslations = [.. r.ConvenienceTranslations],
                    RecordedAt = r.Recording.RecordedAt, RecordedBy = r.Recording.RecordedBy,
                };
            case DocumentTranscriptionCorrected c when snapshot is not null:
                snapshot.ContentHash = c.ContentHash;
                snapshot.TranscriptionCorrections++;
                snapshot.Facts = c.Facts ?? snapshot.Facts;
                snapshot.Restatements = c.Restatements ?? snapshot.Restatements;
                return snapshot;
            default:
                return snapshot;
        }
    }
}
