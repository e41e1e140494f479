using System.Data.Common;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Values;
using Marten;
using Npgsql;

namespace Ledger.Projections.Figures;

/// <summary>
/// Reads of the stated-value rows: the rows and the few transcription fixes of the figures a read needs, fetched in one
/// round trip of indexed queries and folded per figure in memory (<see cref="FigureHistory.Of"/>, <see cref="AsReported.Of"/>).
/// </summary>
public static class FigureReads
{
    /// <summary>
    /// One figure's history, or null when the ledger holds nothing of it (no statement, no correction): a prepared read
    /// (<see cref="FigureHistoryRead"/>) on a connection of its own, as the figure's endpoints read it with the profile.
    /// </summary>
    public static Task<FigureHistory?> LoadAsync(IQuerySession session, string figure, CancellationToken ct) =>
        PreparedReads.RunAsync(session, new FigureHistoryRead(figure), ct);

    /// <summary>The histories of the figures named that the ledger holds, in ordinal order of their keys.</summary>
    public static Task<IReadOnlyList<FigureHistory>> LoadManyAsync(IQuerySession session, IReadOnlyCollection<string> figures, CancellationToken ct) =>
        figures.Count == 0
            ? Task.FromResult<IReadOnlyList<FigureHistory>>([])
            : HistoriesAsync(session, "figure = any(@figures)", [new("figures", figures.ToArray())], ct);

    /// <summary>Every figure of an entity (of the periods named, when they are), in ordinal order of their keys.</summary>
    public static Task<IReadOnlyList<FigureHistory>> OfEntityAsync(IQuerySession session, string entity, IReadOnlyCollection<string>? periods, CancellationToken ct) =>
        periods is null
            ? HistoriesAsync(session, "entity = @entity", [new("entity", entity)], ct)
            : HistoriesAsync(session, "entity = @entity and period = any(@periods)", [new("entity", entity), new("periods", periods.ToArray())], ct);

    /// <summary>
    /// The figures named as far as a statement's lines need them (<see cref="Statements.KnownStatementLines"/>), from the
    /// rows' typed columns and their rare details, with no JSON document read per row: each statement's value, document,
    /// form, location and reasons, but not its printed text, recording or note, nor the transcription fixes. Those are in
    /// the full history (<see cref="LoadManyAsync"/>); lines built from either are the same (tested). Read through the
    /// session, inside its transaction if it has one.
    /// </summary>
    public static Task<IReadOnlyList<FigureHistory>> ForStatementAsync(IQuerySession session, IReadOnlyCollection<string> figures, CancellationToken ct) =>
        figures.Count == 0 ? Task.FromResult<IReadOnlyList<FigureHistory>>([]) : new StatementFiguresPlan(figures).Fetch(session, ct);

    /// <summary>The columns <see cref="StatementValueOf"/> reads, in its ordinals (and the figure's key first).</summary>
    internal const string StatementColumns = "figure, kind, document_id, published_on, known_no_later_than, cited_by, sequence, value, decimals, unit, " +
        "location_table, location_row, location_line, details";

    /// <summary>
    /// The column a statement's read takes after <see cref="StatementColumns"/> (ordinal 14), by which it puts each figure's
    /// rows in the order the ledger learnt them itself: a statement's 200-odd rows came back 0.07-0.14 ms sooner (of
    /// 0.43-0.53) without PostgreSQL sorting them all (docs/benchmarks.md, 2026-12-05), and a figure has two or three.
    /// </summary>
    internal const string StatementPosition = "position";

    /// <summary>A statement's rows (figure, position, value) in any order, folded per figure in ordinal order of their keys.</summary>
    internal static IReadOnlyList<FigureHistory> StatementHistories(Dictionary<string, List<(long Position, StatedValue Value)>> rowsPerFigure)
    {
        var figures = new string[rowsPerFigure.Count];
        rowsPerFigure.Keys.CopyTo(figures, 0);
        Array.Sort(figures, CodePointOrder.Instance);
        var histories = new FigureHistory[figures.Length];
        var keyParts = new KeyParts();
        for (var f = 0; f < figures.Length; f++)
        {
            var rows = rowsPerFigure[figures[f]];
            // A figure has a handful of rows, mostly read in order already: an insertion sort, by position.
            for (var i = 1; i < rows.Count; i++)
            {
                var row = rows[i];
                var at = i;
                for (; at > 0 && rows[at - 1].Position > row.Position; at--) rows[at] = rows[at - 1];
                rows[at] = row;
            }
            var statements = new StatedValue[rows.Count];
            for (var i = 0; i < rows.Count; i++) statements[i] = rows[i].Value;
            histories[f] = FigureHistory.Of(figures[f], statements, [], keyParts);
        }
        return histories;
    }

    /// <summary>A stated value as far as a statement reads it, from the row's typed columns and its details (ordinals of <see cref="StatementColumns"/>).</summary>
    internal static StatedValue StatementValueOf(DbDataReader r, SharedRowParts parts)
    {
        var details = r.IsDBNull(13) ? null : JsonSerializer.Deserialize<StatementDetails>(r.GetFieldValue<byte[]>(13), StatedValueJson.Options);
        return StatementValue(r.GetString(1), r.GetString(2), NullOr<DateOnly>(r, 3), NullOr<DateOnly>(r, 4), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetInt32(6), NullOr<decimal>(r, 7), NullOr<int>(r, 8), r.GetString(9),
            r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), NullOr<int>(r, 12), details, parts);
    }

    /// <summary>
    /// A stated value as far as a statement reads it, from the values of <see cref="StatementColumns"/>: a row's, or those a
    /// rebuild set aside for the lines as it wrote them (<see cref="Statements.StatedValuesByEntity"/>), so both are alike.
    /// </summary>
    internal static StatedValue StatementValue(string kind, string document, DateOnly? publishedOn, DateOnly? knownNoLaterThan, string? citedBy,
        int sequence, decimal? value, int? decimals, string unit, string? locationTable, string? locationRow, int? locationLine,
        StatementDetails? details, SharedRowParts parts) =>
        new(kind,
            parts.Document(document, publishedOn, knownNoLaterThan, details?.Form),
            sequence,
            new Statement(new Amount(value, unit, decimals, details?.Nil, details?.Approximate ?? false, details?.LowerBound ?? false)),
            parts.Location(locationTable, locationRow, locationLine),
            details?.Reasons ?? [], PrintedBefore: null, Adjustment: null,
            CitedBy: citedBy, Recording: NotRead);

    /// <summary>
    /// What the rows of one read share, made once for the read rather than once a row: the empty location most rows have,
    /// and each document as its rows name it (a statement's 200 rows name a dozen). Values are immutable records, so a
    /// shared one is the same as a copy. With the fold's own savings, a statement's read went from 327 to 237 KB (2026-12-05).
    /// </summary>
    internal sealed class SharedRowParts
    {
        private static readonly Location Unplaced = new();
        private readonly Dictionary<string, DocumentRef> _documents = new(StringComparer.Ordinal);

        public Location Location(string? table, string? row, int? line) =>
            table is null && row is null && line is null ? Unplaced : new Location(Table: table, Row: row, Line: line);

        public DocumentRef Document(string id, DateOnly? publishedOn, DateOnly? knownNoLaterThan, string? form)
        {
            if (_documents.TryGetValue(id, out var known) && known.PublishedOn == publishedOn && known.KnownNoLaterThan == knownNoLaterThan && known.Form == form)
                return known;
            return _documents[id] = new DocumentRef(id, publishedOn, knownNoLaterThan, Form: form);
        }
    }

    /// <summary>The columns <see cref="HistoryValueOf"/> reads: a statement's, then who recorded the value and its history details.</summary>
    internal const string HistoryColumns = StatementColumns + ", recorded_by, recorded_at, recording_reason, correlation_id, history_details";

    /// <summary>A stated value whole, as its figure's history shows it (ordinals of <see cref="HistoryColumns"/>).</summary>
    internal static StatedValue HistoryValueOf(DbDataReader r, SharedRowParts parts) =>
        HistoryDetails.Complete(StatementValueOf(r, parts),
            r.IsDBNull(18) ? null : JsonSerializer.Deserialize<HistoryDetails>(r.GetFieldValue<byte[]>(18), StatedValueJson.Options),
            new Recording(r.GetString(14), r.GetString(16), r.GetFieldValue<DateTimeOffset>(15), r.IsDBNull(17) ? null : r.GetString(17)));

    /// <summary>Who recorded a value, for a read that does not read it (<see cref="ForStatementAsync"/>).</summary>
    private static readonly Recording NotRead = new("", "");

    internal static T? NullOr<T>(DbDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    /// <summary>
    /// What one document prints, in the order the ledger learnt it: its own statements, and the earlier documents' values
    /// it cites as previously reported (a value another document cites of it is printed there, not here).
    /// </summary>
    public static async Task<IReadOnlyList<(string Figure, StatedValue Value)>> PrintedInAsync(IQuerySession session, string entity, string document, CancellationToken ct)
    {
        var parts = new SharedRowParts();
        return await ReadAsync(session,
            $"select {HistoryColumns} from {Table(session)} where entity = @entity " +
            "and ((document_id = @document and kind <> 'cited') or cited_by = @document) order by position",
            [new("entity", entity), new("document", document)],
            r => (r.GetString(0), HistoryValueOf(r, parts)), ct);
    }

    /// <summary>
    /// The next <paramref name="count"/> figure keys of an entity (of one period, when named) after <paramref name="after"/>,
    /// in ordinal (<c>COLLATE "C"</c>) order, whatever the database's collation.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FigureKeysAsync(IQuerySession session, string entity, string? period, string after, int count, CancellationToken ct)
    {
        var sql = new StringBuilder($"select distinct figure collate \"C\" as figure from {Table(session)} where entity = @entity");
        if (period is not null) sql.Append(" and period = @period");
        sql.Append(" and figure collate \"C\" > @after order by 1 limit @count");
        List<NpgsqlParameter> parameters = [new("entity", entity), new("after", after), new("count", count)];
        if (period is not null) parameters.Add(new("period", period));
        return await ReadAsync(session, sql.ToString(), parameters, r => r.GetString(0), ct);
    }

    /// <summary>
    /// As-reported figures of an entity (one per document and figure), optionally of one period or one document, in
    /// ordinal order of <c>{document}#{figure}</c>, after <paramref name="after"/>; at most <paramref name="count"/> when given.
    /// </summary>
    public static async Task<IReadOnlyList<AsReportedFigure>> AsReportedAsync(IQuerySession session, string entity, string? period, string? document,
        string after, int? count, CancellationToken ct)
    {
        var filter = new StringBuilder("entity = @entity");
        if (period is not null) filter.Append(" and period = @period");
        if (document is not null) filter.Append(" and document_id = @document");
        List<NpgsqlParameter> parameters = [new("entity", entity), new("after", after)];
        if (period is not null) parameters.Add(new("period", period));
        if (document is not null) parameters.Add(new("document", document));
        // The pairs first (a page of them), then every row of those pairs' figures: the as-reported rule needs the
        // document's own rows and the citations of it, and nothing else.
        var keys = await ReadAsync(session,
            $"select distinct (document_id || '#' || figure) collate \"C\" as k, document_id, figure from {Table(session)} where {filter} " +
            $"and (document_id || '#' || figure) collate \"C\" > @after order by 1{(count is { } n ? $" limit {n}" : "")}",
            parameters, r => (Document: r.GetString(1), Figure: r.GetString(2)), ct);
        if (keys.Count == 0) return [];
        var figures = keys.Select(k => k.Figure).Distinct(StringComparer.Ordinal).ToArray();
        var (statements, corrections) = await RowsAsync(session, "figure = any(@figures)", [new("figures", figures)], ct);
        return keys
            .Select(k => AsReported.Of(k.Document, k.Figure, statements.GetValueOrDefault(k.Figure) ?? [],
                corrections.GetValueOrDefault(k.Figure)?.Any(c => c.DocumentId == k.Document) ?? false))
            .OfType<AsReportedFigure>()
            .ToList();
    }

    private static async Task<IReadOnlyList<FigureHistory>> HistoriesAsync(IQuerySession session, string where, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        var (statements, corrections) = await RowsAsync(session, where, parameters, ct);
        var keyParts = new KeyParts();
        // A figure whose every value a correction withdrew keeps its history: its corrections, without statements.
        return statements.Keys.Union(corrections.Keys)
            .Order(CodePointOrder.Instance)
            .Select(f => FigureHistory.Of(f, statements.GetValueOrDefault(f) ?? [], corrections.GetValueOrDefault(f) ?? [], keyParts))
            .ToList();
    }

    /// <summary>The stated-value rows and the transcription fixes that match <paramref name="where"/>, per figure in the order the ledger learnt them, in one round trip.</summary>
    private static async Task<(Dictionary<string, List<StatedValue>> Statements, Dictionary<string, List<TranscriptionCorrection>> Corrections)> RowsAsync(
        IQuerySession session, string where, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var connection = (NpgsqlConnection)session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                With(new NpgsqlBatchCommand($"{StatementRows(Schema(session))} where {where} order by position"), parameters),
                With(new NpgsqlBatchCommand($"{CorrectionRows(Schema(session))} where {where} order by position"), parameters),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadRowsAsync(reader, ct);
    }

    /// <summary>The stated-value rows and the transcription fixes as <see cref="ReadRowsAsync"/> reads them, before their filter.</summary>
    internal static string StatementRows(string schema) => $"select {HistoryColumns} from {schema}.{StatedValueTables.StatedValues}";

    internal static string CorrectionRows(string schema) => $"select figure, correction::json from {schema}.{StatedValueTables.TranscriptionCorrections}";

    /// <summary>The two result sets of the stated-value rows (<see cref="HistoryColumns"/>) and the transcription fixes (figure, correction), per figure.</summary>
    internal static async Task<(Dictionary<string, List<StatedValue>> Statements, Dictionary<string, List<TranscriptionCorrection>> Corrections)> ReadRowsAsync(
        NpgsqlDataReader reader, CancellationToken ct)
    {
        var parts = new SharedRowParts();
        var statements = await ReadPerFigureAsync(reader, r => HistoryValueOf(r, parts), ct);
        if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException("The transcription fixes' result set is missing: the read asks for two.");
        // The JSON is read as its UTF-8 bytes, as the serializer reads it: no string made of it and transcoded back.
        var corrections = await ReadPerFigureAsync(reader,
            r => JsonSerializer.Deserialize<TranscriptionCorrection>(r.GetFieldValue<byte[]>(1), StatedValueJson.Options)!, ct);
        return (statements, corrections);
    }

    private static async Task<Dictionary<string, List<T>>> ReadPerFigureAsync<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var perFigure = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var figure = reader.GetString(0);
            if (!perFigure.TryGetValue(figure, out var list)) perFigure[figure] = list = [];
            list.Add(read(reader));
        }
        return perFigure;
    }

    private static NpgsqlBatchCommand With(NpgsqlBatchCommand command, NpgsqlParameter[] parameters)
    {
        foreach (var p in parameters) command.Parameters.Add(p.Clone());
        return command;
    }

    internal static string Schema(IQuerySession session) => PreparedReads.Schema(session);

    private static string Table(IQuerySession session) => $"{Schema(session)}.{StatedValueTables.StatedValues}";

    private static async Task<List<T>> ReadAsync<T>(IQuerySession session, string sql, IEnumerable<NpgsqlParameter> parameters, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var connection = (NpgsqlConnection)session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<T>();
        while (await reader.ReadAsync(ct)) items.Add(read(reader));
        return items;
    }
}
