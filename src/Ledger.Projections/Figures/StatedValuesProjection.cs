using System.Text.Json;
using JasperFx.Events;
using Ledger.Domain.Events;
using Ledger.Domain.History;
using Ledger.Domain.Values;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Projections.Figures;

/// <summary>
/// Writes the stated-value rows (<see cref="StatedValueTables"/>) from the figure events: a disclosure is one row, a
/// restatement two (the value as previously reported, which belongs to the earlier document, and the restated one), a
/// transcription correction deletes what the ledger held from the document and writes what it really states. The rows
/// of a whole batch of events go in one statement (unnest of arrays), so a package of any size, or a rebuild, costs a
/// few statements, not one per figure.
/// <para>Inline: a read right after a POST sees the new figures, and ingestion reads them to flag restatements whose
/// "before" disagrees with the ledger.</para>
/// </summary>
public sealed class StatedValuesProjection(string schema) : IProjection
{
    public const string Name = "StatedValues";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var rows = new Rows(schema);
        // Lean figure events name neither their document nor their recording: the stream's DocumentRecorded says both,
        // in this batch (a load appends it with the figures) or, for a correction or a rebuild batch that starts
        // mid-stream, in the log.
        var documents = new Dictionary<string, RecordedDocument>(StringComparer.Ordinal);
        foreach (var e in events)
            if (e.Data is DocumentRecorded r) documents[r.DocumentId] = new RecordedDocument(RefOf(r), r.Recording);
        async ValueTask<RecordedDocument> DocumentOf(IEvent e, string? documentId)
        {
            documentId ??= StreamKeys.DocumentIdOf(e.StreamKey)
                ?? throw new InvalidOperationException($"Event {e.Sequence} ({e.EventTypeName}) names no document and is not in a document's stream.");
            if (!documents.TryGetValue(documentId, out var document))
                documents[documentId] = document = await RecordedAsync(operations, documentId, cancellation);
            return document;
        }

        foreach (var e in events)
        {
            switch (e.Data)
            {
                case FigureDisclosed d:
                {
                    var (document, recording) = d.Document is { } stated ? new RecordedDocument(stated, d.Recording!) : await DocumentOf(e, null);
                    rows.Add(d.Figure, Of(d, document, recording));
                    break;
                }
                case FigureRestated r:
                {
                    var (document, recording) = r.Document is { } stated ? new RecordedDocument(stated, r.Recording!) : await DocumentOf(e, null);
                    foreach (var s in Of(r, document, recording)) rows.Add(r.Figure, s);
                    break;
                }
                case DisclosureCorrected c:
                {
                    // Order matters: what was added before the correction is written before the correction deletes it.
                    rows.Flush(operations);
                    operations.QueueSqlCommand(
                        $"delete from {schema}.{StatedValueTables.StatedValues} where figure = ? and ((document_id = ? and kind <> '{StatementKinds.Cited}') or cited_by = ?)",
                        c.Figure, c.DocumentId, c.DocumentId);
                    var correction = new TranscriptionCorrection(c.DocumentId, c.Previous,
                        [.. c.Disclosures.Select(d => d.Value), .. c.Restatements.Select(r => r.After)], c.Recording.Reason, c.Recording);
                    operations.QueueSqlCommand(
                        $"insert into {schema}.{StatedValueTables.TranscriptionCorrections} (figure, entity, period, document_id, correction) values (?, ?, ?, ?, ?::jsonb)",
                        c.Figure, FigureKey.Parse(c.Figure).Entity, FigureKey.Parse(c.Figure).Period, c.DocumentId, JsonSerializer.Serialize(correction, StatedValueJson.Options));
                    // The fixed values were recorded by the correction.
                    foreach (var d in c.Disclosures)
                        rows.Add(c.Figure, Of(d, d.Document ?? (await DocumentOf(e, c.DocumentId)).Document, d.Recording ?? c.Recording));
                    foreach (var r in c.Restatements)
                        foreach (var s in Of(r, r.Document ?? (await DocumentOf(e, c.DocumentId)).Document, r.Recording ?? c.Recording))
                            rows.Add(c.Figure, s);
                    break;
                }
            }
        }
        rows.Flush(operations);
    }

    /// <summary>The document a stream records (its date) and who recorded it, from its DocumentRecorded event in the log.</summary>
    private async Task<RecordedDocument> RecordedAsync(IDocumentOperations operations, string documentId, CancellationToken ct)
    {
        var json = (await operations.AdvancedSql.QueryAsync<string>(
            $"select data::text from {schema}.mt_events where stream_id = ? and type = 'document_recorded' order by version limit 1",
            ct, StreamKeys.Document(documentId))).SingleOrDefault()
            ?? throw new InvalidOperationException($"Figure events of document '{documentId}' without the document's DocumentRecorded event.");
        var recorded = JsonSerializer.Deserialize<DocumentRecorded>(json, StatedValueJson.Options)!;
        return new RecordedDocument(RefOf(recorded), recorded.Recording);
    }

    /// <summary>The document as its figures' rows name it; a filing with its form, by which the views classify its changes.</summary>
    private static DocumentRef RefOf(DocumentRecorded r) =>
        new(r.DocumentId, r.PublishedOn, Form: Ledger.Domain.Imports.Filings.IsFiling(r.Kind) ? r.Kind : null);

    private sealed record RecordedDocument(DocumentRef Document, Recording Recording);

    /// <summary>What a disclosure says: the document's own value, or, printed as an earlier document reported it, that document's.</summary>
    public static StatedValue Of(FigureDisclosed d, DocumentRef document, Recording recording) => d.CitedFrom is { } cited
        ? new StatedValue(StatementKinds.Cited, cited, d.Sequence, d.Value, d.Location, [], null, null, document.Id, recording, d.Note)
        : new StatedValue(StatementKinds.Disclosure, document, d.Sequence, d.Value, d.Location, [], null, null, null, recording, d.Note);

    public static IEnumerable<StatedValue> Of(FigureRestated r, DocumentRef document, Recording recording) =>
    [
        new StatedValue(StatementKinds.Cited, r.PreviousDocument, r.Sequence, r.Before, r.BeforeLocation, [], null, null, document.Id, recording),
        new StatedValue(StatementKinds.Restatement, document, r.Sequence, r.After, r.Location, r.Reasons, r.Before, r.Adjustment, null, recording, r.Note),
    ];

    /// <summary>Rows gathered column by column, written as one insert.</summary>
    private sealed class Rows(string schema)
    {
        private readonly List<string> _figure = [], _entity = [], _concept = [], _period = [], _scope = [], _dimensions = [];
        private readonly List<string> _kind = [], _document = [], _unit = [], _statement = [];
        private readonly List<string?> _citedBy = [];
        private readonly List<DateOnly?> _publishedOn = [], _knownNoLaterThan = [];
        private readonly List<int> _sequence = [];
        private readonly List<decimal?> _value = [];
        private readonly List<int?> _decimals = [];
        private FigureKey? _lastKey;

        public void Add(string figure, StatedValue s)
        {
            // Consecutive rows are mostly of one figure (a restatement, a correction): parse its key once.
            var key = _lastKey is not null && _figure.Count > 0 && _figure[^1] == figure ? _lastKey : FigureKey.Parse(figure);
            _lastKey = key;
            _figure.Add(figure); _entity.Add(key.Entity); _concept.Add(key.Concept); _period.Add(key.Period);
            _scope.Add(key.Scope); _dimensions.Add(key.DimensionsText);
            _kind.Add(s.Kind); _document.Add(s.Document.Id); _publishedOn.Add(s.Document.PublishedOn);
            _knownNoLaterThan.Add(s.Document.KnownNoLaterThan); _citedBy.Add(s.CitedBy); _sequence.Add(s.Sequence);
            _value.Add(s.Value.Value.Value); _decimals.Add(s.Value.Value.Decimals); _unit.Add(s.Value.Value.Unit);
            _statement.Add(JsonSerializer.Serialize(s, StatedValueJson.Options));
        }

        public void Flush(IDocumentOperations operations)
        {
            if (_figure.Count == 0) return;
            operations.QueueSqlCommand(
                $"insert into {schema}.{StatedValueTables.StatedValues} " +
                "(figure, entity, concept, period, scope, dimensions, kind, document_id, published_on, known_no_later_than, cited_by, sequence, value, decimals, unit, statement) " +
                "select figure, entity, concept, period, scope, dimensions, kind, document_id, published_on, known_no_later_than, cited_by, sequence, value, decimals, unit, statement::jsonb " +
                "from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::date[], ?::date[], ?::text[], ?::int[], ?::numeric[], ?::int[], ?::text[], ?::text[]) " +
                "with ordinality as r(figure, entity, concept, period, scope, dimensions, kind, document_id, published_on, known_no_later_than, cited_by, sequence, value, decimals, unit, statement, n) " +
                "order by n",
                _figure.ToArray(), _entity.ToArray(), _concept.ToArray(), _period.ToArray(), _scope.ToArray(), _dimensions.ToArray(),
                _kind.ToArray(), _document.ToArray(), _publishedOn.ToArray(), _knownNoLaterThan.ToArray(), _citedBy.ToArray(),
                _sequence.ToArray(), _value.ToArray(), _decimals.ToArray(), _unit.ToArray(), _statement.ToArray());
            foreach (var list in new System.Collections.IList[] { _figure, _entity, _concept, _period, _scope, _dimensions, _kind, _document, _unit, _statement, _citedBy, _publishedOn, _knownNoLaterThan, _sequence, _value, _decimals })
                list.Clear();
            _lastKey = null;
        }
    }
}
