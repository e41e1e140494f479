using Ledger.Domain.Events;

namespace Ledger.Domain.Documents;


/// <summary>A document's package was loaded. Stream key: <c>document:{id}</c>.</summary>
public sealed record DocumentRecorded(
    string DocumentId,
    string Entity,
    string Kind,
    string Title,
    string Language,
    DateOnly PublishedOn,
    string? Source,
    string ContentHash,
    int Facts,
    int Restatements,
    int Reconciliations,
    IReadOnlyList<ConvenienceTranslation> ConvenienceTranslations,
    Recording Recording,
    // An amendment's amended filing, where known (left out otherwise, so earlier documents serialize as they did).
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Amends = null);

/// <summary>A rate the document prints for its convenience-translated columns (RMB 7.2993 = US$1.00).</summary>
public sealed record ConvenienceTranslation(string From, string To, decimal Rate);

/// <summary>A corrected package replaced the ledger's earlier transcription of the document.</summary>
public sealed record DocumentTranscriptionCorrected(
    string DocumentId,
    string PreviousContentHash,
    string ContentHash,
    int FiguresCorrected,
    Recording Recording,
    // What the corrected package states in all (a correction may add or drop a figure); absent in events
    // recorded before these counts were kept, which then leave the document's counts as they were.
    int? Facts = null,
    int? Restatements = null);
