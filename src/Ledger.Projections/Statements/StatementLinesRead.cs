using Ledger.Projections.Figures;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Projections.Statements;

/// <summary>
/// A statement's lines, now or as of a date, as stored (<see cref="StatementLineTable"/>): one row per line, in the order
/// the report prints them. A prepared read (<see cref="PreparedReads"/>), so that the statement's endpoint sends it with
/// the entity's profile, which the periods need, in one round trip.
/// </summary>
public sealed class StatementLinesRead(string entity, IReadOnlyCollection<string> periods, DateOnly? asOf)
    : IPreparedRead<IReadOnlyList<StatementLine>>
{
    public IEnumerable<NpgsqlBatchCommand> Commands(string schema)
    {
        var lines = $"select {StatementLineTable.ReadColumns} from {schema}.{StatementLineTable.Name} where entity = $1 and period = any($2)";
        NpgsqlParameter[] keys =
        [
            new() { NpgsqlDbType = NpgsqlDbType.Text, Value = entity },
            new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = periods.ToArray() },
        ];
        return asOf is { } d
            ? [PreparedReads.Command($"{lines} and known_from <= $3 and (known_until is null or known_until > $3)",
                [.. keys, new() { NpgsqlDbType = NpgsqlDbType.Date, Value = d }])]
            : [PreparedReads.Command($"{lines} and known_until is null", keys)];
    }

    public async Task<IReadOnlyList<StatementLine>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var parts = new KeyParts();
        var lines = new List<StatementLine>(100);
        while (await reader.ReadAsync(ct)) lines.Add(StatementLineRows.LineOf(reader, parts));
        StatementView.SortAsPrinted(lines);
        return lines;
    }
}
