using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Marten;
using Npgsql;

namespace Ledger.Api.Database;

/// <summary>
/// Keeps the planner's statistics of the figure tables fresh while writes fill them. PostgreSQL's autovacuum visits a
/// database once a minute (<c>autovacuum_naptime</c>), and until a table is first analyzed the planner knows nothing of its
/// columns: a write's read of the figures it changes (<c>figure = any($1)</c>, a package's 190 keys) is then planned as a
/// sequential scan of the whole table, and so is the delete of their statement lines. On a fresh ledger filled through
/// the service (the benchmark's <c>medium</c> service path) 1,007 such scans read 97 million stated-value rows and 920
/// read 49 million statement-line rows in the first 69 s, until autovacuum's first analyze; after it, index scans. So
/// every 2 s the figure tables changed by more than autovacuum's rule (1,000 rows and a tenth of the rows last counted)
/// since their last analyze are analyzed here, in the background of the process that writes them.
/// </summary>
public sealed class ReadModelStatistics(IDocumentStore store, ILogger<ReadModelStatistics> log) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    /// <summary>The tables the writes read by figure key.</summary>
    public static readonly string[] Tables = [StatedValueTables.StatedValues, StatementLineTable.Name];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await AnalyzeStaleAsync(store, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A missed analyze only leaves the statistics to autovacuum until the next tick; the database may be
                // down or a rebuild holding the table (the lock wait below is bounded): no reason to stop the service.
                log.LogWarning(e, "Analyzing the figure tables failed; trying again in {Seconds} s", Period.TotalSeconds);
            }
        }
    }

    /// <summary>Analyzes the figure tables autovacuum's rule says are stale; the tables analyzed.</summary>
    public static async Task<IReadOnlyList<string>> AnalyzeStaleAsync(IDocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var stale = new List<string>();
        await using (var look = new NpgsqlCommand(
            "select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid " +
            "where s.schemaname = @schema and s.relname = any(@tables) and s.n_mod_since_analyze > 1000 + 0.1 * greatest(c.reltuples, 0)", connection))
        {
            look.Parameters.AddWithValue("schema", schema);
            look.Parameters.AddWithValue("tables", Tables);
            await using var reader = await look.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) stale.Add(reader.GetString(0));
        }
        foreach (var table in stale)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            // Behind a rebuild, which empties the table in its transaction, give up for this tick rather than queue.
            await using (var wait = new NpgsqlCommand("set local lock_timeout = '1s'", connection, transaction)) await wait.ExecuteNonQueryAsync(ct);
            await using (var analyze = new NpgsqlCommand($"analyze {schema}.{table}", connection, transaction) { CommandTimeout = 0 }) await analyze.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return stale;
    }
}
