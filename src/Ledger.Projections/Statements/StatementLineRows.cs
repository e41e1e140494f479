using System.Data.Common;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Marten;
using Npgsql;

namespace Ledger.Projections.Statements;

/// <summary>What a stored line holds beyond its typed columns, when it is not the usual: a nil, approximate or lower-bound amount, a restatement's reasons.</summary>
internal sealed record StatementLineDetails(AmountDetails? Current = null, AmountDetails? Original = null, IReadOnlyList<RestatementReason>? Reasons = null)
{
    public static StatementLineDetails? Of(StatementLine l) =>
        (AmountDetails.Of(l.Current), StatementLineRows.OriginalIsCurrent(l) ? null : AmountDetails.Of(l.AsOriginallyReported), l.Reasons.Count > 0 ? l.Reasons : null)
        is var (c, o, r) && c is null && o is null && r is null ? null : new StatementLineDetails(c, o, r);
}

internal sealed record AmountDetails(NilKind? Nil = null, bool Approximate = false, bool LowerBound = false)
{
    public static AmountDetails? Of(Amount a) => a.Nil is null && !a.Approximate && !a.LowerBound ? null : new AmountDetails(a.Nil, a.Approximate, a.LowerBound);
}

/// <summary>
/// The statement lines' rows (<see cref="StatementLineTable"/>): written for the figures a write changed, copied in by a
/// rebuild, read by a statement. The amount as originally reported and the document it came from are stored only where
/// they differ from the current ones (null otherwise): most lines were never restated, and a statement's read is its rows'
/// bytes (docs/benchmarks.md, 2026-12-06).
/// </summary>
internal static class StatementLineRows
{
    /// <summary>
    /// Whether the line's amount as originally reported is its current amount, so that its columns are left null: equal,
    /// and printed alike (a decimal's equality ignores its scale, 1.0 = 1.00, which its text does not).
    /// </summary>
    public static bool OriginalIsCurrent(StatementLine l) =>
        l.AsOriginallyReported == l.Current && l.AsOriginallyReported.Value?.Scale == l.Current.Value?.Scale;

    private static string? OriginallyIn(StatementLine l) => l.OriginallyReportedIn == l.CurrentFrom ? null : l.OriginallyReportedIn;

    /// <summary>
    /// Puts lines in the order they are written in: a statement's together (entity, then period), so that its read finds
    /// them on a few pages of the table rather than one or more a line (a rebuild worked them out figure by figure, each
    /// figure's periods together: a statement's 100 lines lay on 24 pages at `medium`; docs/benchmarks.md, 2026-12-06).
    /// A rebuild copies every line so into the table it emptied; a write keeps together only its own lines, appended
    /// where PostgreSQL finds room (after deletes, in space they freed), and a statement's lines may come from several.
    /// </summary>
    public static void SortAsStored(List<(string Entity, KnownStatementLine Known)> lines) =>
        lines.Sort(static (a, b) =>
            string.CompareOrdinal(a.Entity, b.Entity) is var byEntity and not 0 ? byEntity
            : string.CompareOrdinal(a.Known.Line.Period, b.Known.Line.Period) is var byPeriod and not 0 ? byPeriod
            : string.CompareOrdinal(a.Known.Line.Figure, b.Known.Line.Figure) is var byFigure and not 0 ? byFigure
            : a.Known.KnownFrom.CompareTo(b.Known.KnownFrom));

    /// <summary>
    /// Deletes the lines of <paramref name="replaced"/> and inserts <paramref name="lines"/> (every line of the figures
    /// a write changed; put in the order they are stored in, <see cref="SortAsStored"/>), in the session's unit of work,
    /// after what it already holds.
    /// </summary>
    public static void Queue(IDocumentOperations operations, string schema, IReadOnlyCollection<string> replaced, List<(string Entity, KnownStatementLine Known)> lines)
    {
        SortAsStored(lines);
        if (replaced.Count > 0)
            operations.QueueSqlCommand($"delete from {schema}.{StatementLineTable.Name} where figure = any(?)", (object)replaced.ToArray());
        if (lines.Count == 0) return;
        var n = lines.Count;
        string[] figure = new string[n], entity = new string[n], period = new string[n], currentUnit = new string[n], currentFrom = new string[n];
        string?[] originalUnit = new string?[n], originallyIn = new string?[n];
        DateOnly[] knownFrom = new DateOnly[n];
        DateOnly?[] knownUntil = new DateOnly?[n], currentPublished = new DateOnly?[n];
        string?[] table = new string?[n], row = new string?[n], details = new string?[n];
        int?[] line = new int?[n], currentDecimals = new int?[n], originalDecimals = new int?[n];
        decimal?[] currentValue = new decimal?[n], originalValue = new decimal?[n];
        bool[] restated = new bool[n], originalUnknown = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var (e, (from, until, l)) = lines[i];
            (figure[i], entity[i], period[i], knownFrom[i], knownUntil[i]) = (l.Figure, e, l.Period, from, until);
            (table[i], row[i], line[i]) = (l.Table, l.Row, l.Line);
            (currentValue[i], currentDecimals[i], currentUnit[i]) = (l.Current.Value, l.Current.Decimals, l.Current.Unit);
            if (!OriginalIsCurrent(l))
                (originalValue[i], originalDecimals[i], originalUnit[i]) = (l.AsOriginallyReported.Value, l.AsOriginallyReported.Decimals, l.AsOriginallyReported.Unit);
            (restated[i], currentFrom[i], currentPublished[i], originallyIn[i], originalUnknown[i]) =
                (l.Restated, l.CurrentFrom, l.CurrentPublishedOn, OriginallyIn(l), l.OriginalPublishedOnUnknown);
            details[i] = DetailsJson(l);
        }
        operations.QueueSqlCommand(
            $"insert into {schema}.{StatementLineTable.Name} ({StatementLineTable.Columns}) " +
            $"select {StatementLineTable.Columns.Replace(" details", " details::json")} from unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::date[], " +
            "?::text[], ?::text[], ?::int[], ?::numeric[], ?::int[], ?::text[], ?::numeric[], ?::int[], ?::text[], ?::boolean[], ?::text[], ?::date[], ?::text[], ?::boolean[], ?::text[]) " +
            $"as r({StatementLineTable.Columns})",
            figure, entity, period, knownFrom, knownUntil, table, row, line, currentValue, currentDecimals, currentUnit,
            originalValue, originalDecimals, originalUnit, restated, currentFrom, currentPublished, originallyIn, originalUnknown, details);
    }

    /// <summary>One line into a rebuild's binary COPY of <see cref="StatementLineTable.Columns"/>, written synchronously as the stated values are (<c>StatedValuesCopyRebuild</c>).</summary>
    public static void Copy(BinaryCopyRows copy, string entity, KnownStatementLine known)
    {
        var (from, until, l) = known;
        copy.StartRow(20);
        copy.Text(l.Figure);
        copy.Text(entity);
        copy.Text(l.Period);
        copy.Date(from);
        copy.DateOrNull(until);
        copy.TextOrNull(l.Table);
        copy.TextOrNull(l.Row);
        copy.IntegerOrNull(l.Line);
        copy.NumericOrNull(l.Current.Value);
        copy.IntegerOrNull(l.Current.Decimals);
        copy.Text(l.Current.Unit);
        if (OriginalIsCurrent(l))
        {
            for (var i = 0; i < 3; i++) copy.Null();
        }
        else
        {
            copy.NumericOrNull(l.AsOriginallyReported.Value);
            copy.IntegerOrNull(l.AsOriginallyReported.Decimals);
            copy.Text(l.AsOriginallyReported.Unit);
        }
        copy.Boolean(l.Restated);
        copy.Text(l.CurrentFrom);
        copy.DateOrNull(l.CurrentPublishedOn);
        copy.TextOrNull(OriginallyIn(l));
        copy.Boolean(l.OriginalPublishedOnUnknown);
        copy.JsonOrNull(DetailsJson(l));
    }

    private static string? DetailsJson(StatementLine l) =>
        StatementLineDetails.Of(l) is { } details ? JsonSerializer.Serialize(details, StatedValueJson.Options) : null;

    /// <summary>A stored line (ordinals of <see cref="StatementLineTable.ReadColumns"/>); its concept, period, scope and dimensions are its figure key's.</summary>
    public static StatementLine LineOf(DbDataReader r, KeyParts parts)
    {
        var figure = r.GetString(0);
        var key = FigureKey.Parse(figure, parts.Of);
        var details = r.IsDBNull(15) ? null : JsonSerializer.Deserialize<StatementLineDetails>(r.GetFieldValue<byte[]>(15), StatedValueJson.Options);
        var current = AmountOf(FigureReads.NullOr<decimal>(r, 4), FigureReads.NullOr<int>(r, 5), r.GetString(6), details?.Current);
        // A null unit: the amount as originally reported is the current one (a unit is never null otherwise).
        var original = r.IsDBNull(9) ? current : AmountOf(FigureReads.NullOr<decimal>(r, 7), FigureReads.NullOr<int>(r, 8), r.GetString(9), details?.Original);
        var currentFrom = r.GetString(11);
        return new StatementLine(figure, key.Concept, key.Period, key.Scope, key.DimensionsText,
            r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), FigureReads.NullOr<int>(r, 3),
            current, original, r.GetBoolean(10), currentFrom, FigureReads.NullOr<DateOnly>(r, 12),
            r.IsDBNull(13) ? currentFrom : r.GetString(13), r.GetBoolean(14), details?.Reasons ?? []);
    }

    private static Amount AmountOf(decimal? value, int? decimals, string unit, AmountDetails? details) =>
        new(value, unit, decimals, details?.Nil, details?.Approximate ?? false, details?.LowerBound ?? false);
}
