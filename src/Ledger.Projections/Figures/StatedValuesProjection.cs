using System.Text.Json;
using JasperFx.Events;
using Ledger.Domain.Documents;
using Ledger.Domain.Figures;
using Ledger.Projections.Statements;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Projections.Figures;

/// <summary>
/// Writes the stated-value rows (<see cref="StatedValueTables"/>) from the figure events, by <see cref="StatedValueFold"/>,
/// and the statement lines of the figures they change (<see cref="StatementLineChanges"/>). The rows of a whole batch of
/// events go in one statement (unnest of arrays), and their figures' lines in two, so a package of any size costs a few
/// statements, not one per figure.
/// <para>Inline: a read right after a POST sees the new figures, and ingestion reads them to flag restatements whose
/// "before" disagrees with the ledger. A rebuild does not replay it through Marten's daemon: it streams the log into the
/// table with COPY (<see cref="StatedValuesCopyRebuild"/>), the same fold, many times faster, then the lines from the rows.</para>
/// </summary>
public sealed class StatedValuesProjection(string schema, long writersLock) : IProjection, IRebuiltByCopy
{
    public const string Name = "StatedValues";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var fold = new StatedValueFold((id, ct) => StatedValuesCopyRebuild.RecordedAsync(operations, schema, id, ct));
        // A load appends its DocumentRecorded with the figures, in this batch.
        foreach (var e in events)
            if (e.Data is DocumentRecorded r) fold.Remember(r);
        var lines = new StatementLineChanges();
        var rows = new Rows(schema, operations, lines);
        foreach (var e in events)
            await fold.ApplyAsync(e.Data, e.StreamKey, e.Sequence, rows, cancellation);
        rows.Flush();
        await lines.QueueAsync(operations, schema, writersLock, cancellation);
    }

    public Task RebuildAsync(IDocumentStore store, CancellationToken ct) => StatedValuesCopyRebuild.RunAsync(store, schema, ct);

    /// <summary>Rows gathered column by column, written as one insert.</summary>
    private sealed class Rows(string schema, IDocumentOperations operations, StatementLineChanges lines) : IStatedValueSink
    {
        private readonly List<string> _figure = [], _entity = [], _concept = [], _period = [], _scope = [], _dimensions = [];
        private readonly List<string> _kind = [], _document = [], _unit = [], _recordedBy = [], _recordingReason = [];
        private readonly List<string?> _citedBy = [], _locationTable = [], _locationRow = [], _details = [], _correlationId = [], _historyDetails = [];
        private readonly List<DateTimeOffset> _recordedAt = [];
        private readonly List<int?> _locationLine = [];
        private readonly List<DateOnly?> _publishedOn = [], _knownNoLaterThan = [];
        private readonly List<int> _sequence = [];
        private readonly List<decimal?> _value = [];
        private readonly List<int?> _decimals = [];

        public ValueTask AddAsync(StatedValueRow row, CancellationToken ct)
        {
            var (key, s) = (row.Key, row.Value);
            lines.Added(row.Figure, s);
            _figure.Add(row.Figure); _entity.Add(key.Entity); _concept.Add(key.Concept); _period.Add(key.Period);
            _scope.Add(key.Scope); _dimensions.Add(key.DimensionsText);
            _kind.Add(s.Kind); _document.Add(s.Document.Id); _publishedOn.Add(s.Document.PublishedOn);
            _knownNoLaterThan.Add(s.Document.KnownNoLaterThan); _citedBy.Add(s.CitedBy); _sequence.Add(s.Sequence);
            _value.Add(s.Value.Value.Value); _decimals.Add(s.Value.Value.Decimals); _unit.Add(s.Value.Value.Unit);
            _locationTable.Add(s.Location.Table); _locationRow.Add(s.Location.Row); _locationLine.Add(s.Location.Line); _details.Add(row.Details);
            _recordedBy.Add(s.Recording.RecordedBy); _recordedAt.Add(StatedValueTables.RecordedAt(s.Recording));
            _recordingReason.Add(s.Recording.Reason); _correlationId.Add(s.Recording.CorrelationId); _historyDetails.Add(row.HistoryDetails);
            return ValueTask.CompletedTask;
        }

        public Task CorrectAsync(DisclosureCorrected c, StatedValueCorrectionRow kept, CancellationToken ct)
        {
            // Order matters: what was added before the correction is written before the correction deletes it.
            Flush();
            lines.Withdrawn(c.Figure, c.DocumentId);
            operations.QueueSqlCommand(StatedValuesCopyRebuild.DeleteCorrectedSql(schema), c.Figure, c.DocumentId, c.DocumentId);
            operations.QueueSqlCommand(
                $"insert into {schema}.{StatedValueTables.TranscriptionCorrections} (figure, entity, period, document_id, correction) values (?, ?, ?, ?, ?::jsonb)",
                kept.Figure, kept.Entity, kept.Period, kept.DocumentId, kept.Json);
            return Task.CompletedTask;
        }

        public void Flush()
        {
            if (_figure.Count == 0) return;
            operations.QueueSqlCommand(
                $"insert into {schema}.{StatedValueTables.StatedValues} ({StatedValuesCopyRebuild.Columns}) " +
                $"select {StatedValuesCopyRebuild.Columns.Replace(" details", " details::json").Replace("history_details", "history_details::json")} " +
                "from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::date[], ?::date[], ?::text[], ?::int[], ?::numeric[], ?::int[], ?::text[], " +
                "?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[]) " +
                $"with ordinality as r({StatedValuesCopyRebuild.Columns}, n) " +
                "order by n",
                _figure.ToArray(), _entity.ToArray(), _concept.ToArray(), _period.ToArray(), _scope.ToArray(), _dimensions.ToArray(),
                _kind.ToArray(), _document.ToArray(), _publishedOn.ToArray(), _knownNoLaterThan.ToArray(), _citedBy.ToArray(),
                _sequence.ToArray(), _value.ToArray(), _decimals.ToArray(), _unit.ToArray(),
                _locationTable.ToArray(), _locationRow.ToArray(), _locationLine.ToArray(), _details.ToArray(),
                _recordedBy.ToArray(), _recordedAt.ToArray(), _recordingReason.ToArray(), _correlationId.ToArray(), _historyDetails.ToArray());
            foreach (var list in new System.Collections.IList[] { _figure, _entity, _concept, _period, _scope, _dimensions, _kind, _document, _unit, _citedBy, _publishedOn, _knownNoLaterThan, _sequence, _value, _decimals, _locationTable, _locationRow, _locationLine, _details, _recordedBy, _recordedAt, _recordingReason, _correlationId, _historyDetails })
                list.Clear();
        }
    }
}
