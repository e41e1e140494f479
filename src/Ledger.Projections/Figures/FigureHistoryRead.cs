using Npgsql;
using NpgsqlTypes;

namespace Ledger.Projections.Figures;

/// <summary>
/// One figure's history, or null when the ledger holds nothing of it (no statement, no correction): its rows, then its
/// transcription fixes, each in the order the ledger learnt them. A prepared read (<see cref="PreparedReads"/>), so that
/// the figure's endpoints send it with the entity's profile in one round trip, parsed and planned once per connection.
/// </summary>
public sealed class FigureHistoryRead(string figure) : IPreparedRead<FigureHistory?>
{
    public IEnumerable<NpgsqlBatchCommand> Commands(string schema) =>
    [
        PreparedReads.Command($"{FigureReads.StatementRows(schema)} where figure = $1 order by position", Figure()),
        PreparedReads.Command($"{FigureReads.CorrectionRows(schema)} where figure = $1 order by position", Figure()),
    ];

    public async Task<FigureHistory?> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var (statements, corrections) = await FigureReads.ReadRowsAsync(reader, ct);
        return statements.Count == 0 && corrections.Count == 0 ? null
            : FigureHistory.Of(figure, statements.GetValueOrDefault(figure) ?? [], corrections.GetValueOrDefault(figure) ?? []);
    }

    private NpgsqlParameter Figure() => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = figure };
}
