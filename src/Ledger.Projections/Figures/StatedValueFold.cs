using System.Text.Json;
using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;

namespace Ledger.Projections.Figures;

/// <summary>Where the fold's rows go: the inline projection's batched insert, or a rebuild's COPY.</summary>
internal interface IStatedValueSink
{
    ValueTask AddAsync(StatedValueRow row, CancellationToken ct);

    /// <summary>
    /// A transcription correction: every row the document stated (or cited) for the figure goes, the correction is kept,
    /// and the rows added after it are the fixed values. Rows added before it must be written before it deletes.
    /// </summary>
    Task CorrectAsync(DisclosureCorrected correction, StatedValueCorrectionRow kept, CancellationToken ct);
}

/// <summary>One stated-value row, its columns as the table holds them (<see cref="StatedValueTables"/>).</summary>
/// <remarks>The value's two JSON columns come serialized: its statement details and its history details, each null when there are none.</remarks>
internal sealed record StatedValueRow(string Figure, FigureKey Key, StatedValue Value, string? Details, string? HistoryDetails);

/// <summary>One transcription correction's row, its columns as the table holds them.</summary>
internal sealed record StatedValueCorrectionRow(string Figure, string Entity, string Period, string DocumentId, string Json);

/// <summary>
/// What the figure events do to the stated-value rows, in the log's order: a disclosure is one row, a restatement two
/// (the value as previously reported, which belongs to the earlier document, and the restated one), a transcription
/// correction replaces what the document stated. The one fold both the inline projection and the COPY rebuild apply,
/// so that live and rebuilt rows are the same by construction.
/// </summary>
internal sealed class StatedValueFold(Func<string, CancellationToken, Task<StatedValueFold.RecordedDocument>> lookUpDocument)
{
    /// <summary>The document a stream records (its date and form) and who recorded it.</summary>
    public sealed record RecordedDocument(DocumentRef Document, Recording Recording);

    // Lean figure events name neither their document nor their recording: the stream's DocumentRecorded says both, earlier
    // in the log (a load appends it before the figures) or, for a batch that starts mid-stream, looked up.
    private readonly Dictionary<string, RecordedDocument> _documents = new(StringComparer.Ordinal);
    private FigureKey? _lastKey;
    private string? _lastFigure;

    public void Remember(DocumentRecorded r) => _documents[r.DocumentId] = RecordedOf(r);

    /// <summary>The document as its figures' rows name it (a filing with its form, by which the views classify its changes), and who recorded it.</summary>
    public static RecordedDocument RecordedOf(DocumentRecorded r) =>
        new(new DocumentRef(r.DocumentId, r.PublishedOn, Form: Ledger.Domain.Imports.Filings.IsFiling(r.Kind) ? r.Kind : null), r.Recording);

    /// <summary>Folds one event of the log into the sink; events of other kinds change no row.</summary>
    public async Task ApplyAsync(object data, string? streamKey, long sequence, IStatedValueSink sink, CancellationToken ct)
    {
        switch (data)
        {
            case DocumentRecorded r:
                Remember(r);
                break;
            case FigureDisclosed d:
            {
                var (document, recording) = d.Document is { } stated ? new RecordedDocument(stated, d.Recording!) : await DocumentOfAsync(streamKey, null, sequence, ct);
                await sink.AddAsync(Row(d.Figure, Of(d, document, recording)), ct);
                break;
            }
            case FigureRestated r:
            {
                var (document, recording) = r.Document is { } stated ? new RecordedDocument(stated, r.Recording!) : await DocumentOfAsync(streamKey, null, sequence, ct);
                foreach (var s in Of(r, document, recording)) await sink.AddAsync(Row(r.Figure, s), ct);
                break;
            }
            case DisclosureCorrected c:
            {
                var key = FigureKey.Parse(c.Figure);
                var correction = new TranscriptionCorrection(c.DocumentId, c.Previous,
                    [.. c.Disclosures.Select(d => d.Value), .. c.Restatements.Select(r => r.After)], c.Recording.Reason, c.Recording);
                await sink.CorrectAsync(c, new StatedValueCorrectionRow(c.Figure, key.Entity, key.Period, c.DocumentId,
                    JsonSerializer.Serialize(correction, StatedValueJson.Options)), ct);
                // The fixed values were recorded by the correction.
                foreach (var d in c.Disclosures)
                {
                    var document = d.Document ?? (await DocumentOfAsync(streamKey, c.DocumentId, sequence, ct)).Document;
                    await sink.AddAsync(Row(c.Figure, Of(d, document, d.Recording ?? c.Recording)), ct);
                }
                foreach (var r in c.Restatements)
                    foreach (var s in Of(r, r.Document ?? (await DocumentOfAsync(streamKey, c.DocumentId, sequence, ct)).Document, r.Recording ?? c.Recording))
                        await sink.AddAsync(Row(c.Figure, s), ct);
                break;
            }
        }
    }

    private StatedValueRow Row(string figure, StatedValue s)
    {
        // Consecutive rows are mostly of one figure (a restatement, a correction): parse its key once.
        if (_lastFigure != figure) { _lastKey = FigureKey.Parse(figure); _lastFigure = figure; }
        return new StatedValueRow(figure, _lastKey!, s,
            StatementDetails.Of(s) is { } details ? JsonSerializer.Serialize(details, StatedValueJson.Options) : null,
            HistoryDetails.Of(s) is { } more ? JsonSerializer.Serialize(more, StatedValueJson.Options) : null);
    }

    private async Task<RecordedDocument> DocumentOfAsync(string? streamKey, string? documentId, long sequence, CancellationToken ct)
    {
        documentId ??= StreamKeys.DocumentIdOf(streamKey)
            ?? throw new InvalidOperationException($"Event {sequence} names no document and is not in a document's stream.");
        if (!_documents.TryGetValue(documentId, out var document))
            _documents[documentId] = document = await lookUpDocument(documentId, ct);
        return document;
    }

    /// <summary>What a disclosure says: the document's own value, or, printed as an earlier document reported it, that document's.</summary>
    public static StatedValue Of(FigureDisclosed d, DocumentRef document, Recording recording) => d.CitedFrom is { } cited
        ? new StatedValue(StatementKinds.Cited, cited, d.Sequence, d.Value, d.Location, [], null, null, document.Id, recording, d.Note)
        : new StatedValue(StatementKinds.Disclosure, document, d.Sequence, d.Value, d.Location, [], null, null, null, recording, d.Note);

    public static IEnumerable<StatedValue> Of(FigureRestated r, DocumentRef document, Recording recording) =>
    [
        new StatedValue(StatementKinds.Cited, r.PreviousDocument, r.Sequence, r.Before, r.BeforeLocation, [], null, null, document.Id, recording),
        new StatedValue(StatementKinds.Restatement, document, r.Sequence, r.After, r.Location, r.Reasons, r.Before, r.Adjustment, null, recording, r.Note),
    ];
}
