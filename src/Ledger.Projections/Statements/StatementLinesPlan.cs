using System.Data.Common;
using Ledger.Projections.Figures;
using Marten;
using Marten.Linq.QueryHandlers;
using Marten.Services.BatchQuerying;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Storage;

namespace Ledger.Projections.Statements;

/// <summary>
/// A statement's lines, now or as of a date, as stored (<see cref="StatementLineTable"/>): one row per line, in the order
/// the report prints them. A Marten query plan, so that it can share a round trip with the entity's profile, which the
/// periods need.
/// </summary>
public sealed class StatementLinesPlan(string entity, IReadOnlyCollection<string> periods, DateOnly? asOf)
    : BatchQueryPlan<IReadOnlyList<StatementLine>>
{
    public override Task<IReadOnlyList<StatementLine>> Fetch(IBatchedQuery query) =>
        query.AddItem(new Handler(entity, periods.ToArray(), asOf, FigureReads.Schema(query.Parent)));

    private sealed class Handler(string entity, string[] periods, DateOnly? asOf, string schema) : IQueryHandler<IReadOnlyList<StatementLine>>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            builder.Append($"select {StatementLineTable.ReadColumns} from {schema}.{StatementLineTable.Name} where entity = ");
            builder.AppendParameter(entity);
            builder.Append(" and period = any(");
            builder.AppendParameter(periods);
            builder.Append(")");
            if (asOf is not { } d)
            {
                builder.Append(" and known_until is null");
                return;
            }
            builder.Append(" and known_from <= ");
            builder.AppendParameter(d);
            builder.Append(" and (known_until is null or known_until > ");
            builder.AppendParameter(d);
            builder.Append(")");
        }

        public async Task<IReadOnlyList<StatementLine>> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token)
        {
            var parts = new KeyParts();
            var lines = new List<StatementLine>(100);
            while (await reader.ReadAsync(token)) lines.Add(StatementLineRows.LineOf(reader, parts));
            StatementView.SortAsPrinted(lines);
            return lines;
        }

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) =>
            throw new NotSupportedException("A statement's lines are read into records, not streamed as stored JSON.");
    }
}
