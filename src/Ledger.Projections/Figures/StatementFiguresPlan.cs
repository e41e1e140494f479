using System.Data.Common;
using Ledger.Domain.Figures;
using Marten;
using Marten.Linq.QueryHandlers;
using Marten.Services.BatchQuerying;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Storage;

namespace Ledger.Projections.Figures;

/// <summary>
/// The figures named as far as a statement's lines need them (<see cref="FigureReads.ForStatementAsync"/>), read through the
/// session as a Marten query plan: inside its transaction, where a write works out the lines of the figures it changed.
/// </summary>
public sealed class StatementFiguresPlan(IReadOnlyCollection<string> figures)
    : BatchQueryPlan<IReadOnlyList<FigureHistory>>
{
    public override Task<IReadOnlyList<FigureHistory>> Fetch(IBatchedQuery query) => query.AddItem(new Handler(figures.ToArray(), FigureReads.Schema(query.Parent)));

    private sealed class Handler(string[] figures, string schema) : IQueryHandler<IReadOnlyList<FigureHistory>>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            // Unsorted: each figure's few rows are put in order in memory (FigureReads.StatementPosition).
            builder.Append($"select {FigureReads.StatementColumns}, {FigureReads.StatementPosition} from {schema}.{StatedValueTables.StatedValues} where figure = any(");
            builder.AppendParameter(figures);
            builder.Append(")");
        }

        public async Task<IReadOnlyList<FigureHistory>> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token)
        {
            var parts = new FigureReads.SharedRowParts();
            var perFigure = new Dictionary<string, List<(long Position, StatedValue Value)>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(token))
            {
                var figure = reader.GetString(0);
                if (!perFigure.TryGetValue(figure, out var rows)) perFigure[figure] = rows = new(2);
                rows.Add((reader.GetInt64(14), FigureReads.StatementValueOf(reader, parts)));
            }
            return FigureReads.StatementHistories(perFigure);
        }

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) =>
            throw new NotSupportedException("A statement's figures are folded from their rows, not streamed as stored JSON.");
    }
}
