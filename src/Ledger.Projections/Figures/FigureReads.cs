using System.Text;
using System.Text.Json;
using Ledger.Domain.History;
using Marten;
using Npgsql;

namespace Ledger.Projections.Figures;

/// <summary>
/// Reads of the stated-value rows: the rows and the few transcription fixes of the figures a read needs, fetched in one
/// round trip of indexed queries and folded per figure in memory (<see cref="FigureHistory.Of"/>, <see cref="AsReported.Of"/>).
/// </summary>
public static class FigureReads
{
    /// <summary>One figure's history, or null when the ledger holds nothing of it (no statement, no correction).</summary>
    public static async Task<FigureHistory?> LoadAsync(IQuerySession session, string figure, CancellationToken ct) =>
        (await LoadManyAsync(session, [figure], ct)).FirstOrDefault();

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
    /// What one document prints, in the order the ledger learnt it: its own statements, and the earlier documents' values
    /// it cites as previously reported (a value another document cites of it is printed there, not here).
    /// </summary>
    public static async Task<IReadOnlyList<(string Figure, StatedValue Value)>> PrintedInAsync(IQuerySession session, string entity, string document, CancellationToken ct) =>
        await ReadAsync(session,
            $"select figure, statement::text from {Table(session)} where entity = @entity " +
            "and ((document_id = @document and kind <> 'cited') or cited_by = @document) order by position",
            [new("entity", entity), new("document", document)],
            r => (r.GetString(0), JsonSerializer.Deserialize<StatedValue>(r.GetString(1), StatedValueJson.Options)!), ct);

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
        // A figure whose every value a correction withdrew keeps its history: its corrections, without statements.
        return statements.Keys.Union(corrections.Keys)
            .Order(CodePointOrder.Instance)
            .Select(f => FigureHistory.Of(f, statements.GetValueOrDefault(f) ?? [], corrections.GetValueOrDefault(f) ?? []))
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
                With(new NpgsqlBatchCommand($"select figure, statement::text from {Table(session)} where {where} order by position"), parameters),
                With(new NpgsqlBatchCommand($"select figure, correction::text from {Corrections(session)} where {where} order by position"), parameters),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var statements = await ReadPerFigureAsync(reader, json => JsonSerializer.Deserialize<StatedValue>(json, StatedValueJson.Options)!, ct);
        await reader.NextResultAsync(ct);
        var corrections = await ReadPerFigureAsync(reader, json => JsonSerializer.Deserialize<TranscriptionCorrection>(json, StatedValueJson.Options)!, ct);
        return (statements, corrections);
    }

    private static async Task<Dictionary<string, List<T>>> ReadPerFigureAsync<T>(NpgsqlDataReader reader, Func<string, T> read, CancellationToken ct)
    {
        var perFigure = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var figure = reader.GetString(0);
            if (!perFigure.TryGetValue(figure, out var list)) perFigure[figure] = list = [];
            list.Add(read(reader.GetString(1)));
        }
        return perFigure;
    }

    /// <summary>Strings in Unicode code point order: the order of PostgreSQL's <c>COLLATE "C"</c> on UTF-8, by which keys are paged.</summary>
    private sealed class CodePointOrder : IComparer<string>
    {
        public static readonly CodePointOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            var (a, b) = (x.EnumerateRunes(), y.EnumerateRunes());
            while (true)
            {
                var (moreA, moreB) = (a.MoveNext(), b.MoveNext());
                if (!moreA || !moreB) return moreA.CompareTo(moreB);
                var order = a.Current.Value.CompareTo(b.Current.Value);
                if (order != 0) return order;
            }
        }
    }

    private static NpgsqlBatchCommand With(NpgsqlBatchCommand command, NpgsqlParameter[] parameters)
    {
        foreach (var p in parameters) command.Parameters.Add(p.Clone());
        return command;
    }

    private static string Table(IQuerySession session) => $"{session.DocumentStore.Options.DatabaseSchemaName}.{StatedValueTables.StatedValues}";

    private static string Corrections(IQuerySession session) => $"{session.DocumentStore.Options.DatabaseSchemaName}.{StatedValueTables.TranscriptionCorrections}";

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
