using Marten;
using Npgsql;

namespace Ledger.Projections;

/// <summary>
/// A read the service sends again and again with the same text (one figure, a statement, the entity's profile read with
/// them): the commands of an Npgsql batch with positional parameters, and how their results are read.
/// </summary>
public interface IPreparedRead<T>
{
    /// <summary>The read's commands in the ledger's schema, the same text at every call (the values are parameters).</summary>
    IEnumerable<NpgsqlBatchCommand> Commands(string schema);

    /// <summary>Reads the commands' results, the reader standing at the first of them.</summary>
    Task<T> ReadAsync(NpgsqlDataReader reader, CancellationToken ct);
}

/// <summary>
/// Runs reads prepared on the pooled connection that runs them: PostgreSQL parses and plans a prepared statement once
/// per connection, not at every call, and Npgsql keeps it with the connection in its pool. Planning was a third of a
/// figure's read: prepared, it took 0.11–0.13 ms instead of 0.19–0.30 (docs/benchmarks.md, 2026-12-05). Explicitly, for
/// these reads only: Npgsql's automatic preparation (<c>Max Auto Prepare</c>) would prepare Marten's statements too,
/// and the async daemon's page query then took a generic plan and replayed the log five to seven times slower (README,
/// "Which PostgreSQL"). A read runs on a connection of its own, not in the session's transaction: these are the reads
/// of endpoints, which write nothing.
/// <para>Its connections come from a pool of their own, which does not reset a connection when it comes back (Npgsql's
/// <c>No Reset On Close</c>): the reset is seven statements that PostgreSQL runs before the next command (<c>RESET ALL</c>,
/// <c>DISCARD TEMP</c>, …), 0.1 ms of a statement's read of 0.3–0.5 (docs/benchmarks.md, 2026-12-06). Nothing else runs
/// on these connections, and these reads leave no state on them to reset. Marten's connections keep their reset: its
/// daemon and Wolverine take session locks and set what they need.</para>
/// </summary>
public static class PreparedReads
{
    public static async Task<T> RunAsync<T>(IQuerySession session, IPreparedRead<T> read, CancellationToken ct)
    {
        await using var connection = await OpenAsync(session, ct);
        return await RunAsync(connection, Schema(session), read, ct);
    }

    /// <summary>The read on a connection already open (one that a read before it used).</summary>
    public static async Task<T> RunAsync<T>(NpgsqlConnection connection, string schema, IPreparedRead<T> read, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var batch = Batch(connection, read.Commands(schema));
                await using var reader = await ExecuteAsync(batch, ct);
                return await read.ReadAsync(reader, ct);
            }
            catch (PostgresException e) when (attempt == 1 && Replanned(e))
            {
                PrepareAgain(connection);
            }
        }
    }

    /// <summary>
    /// Whether PostgreSQL refused a statement prepared on the connection because the columns it returns changed since:
    /// a rebuild that declares a ledger's key columns in byte order (<see cref="ByteOrderColumn.AlterSql"/>, once in a
    /// ledger's life) changes their collation, which is part of a prepared statement's result, and every connection that
    /// prepared a read before would fail it once. The read is then run again, prepared again (<see cref="PrepareAgain"/>):
    /// a loop in the read itself, not a delegate around it, which a read would allocate every time.
    /// </summary>
    private static bool Replanned(PostgresException e) =>
        e is { SqlState: PostgresErrorCodes.FeatureNotSupported, MessageText: "cached plan must not change result type" };

    /// <summary>Every statement the connection prepared forgotten (Npgsql has no asynchronous form): they are prepared again as used.</summary>
    private static void PrepareAgain(NpgsqlConnection connection) => connection.UnprepareAll();

    /// <summary>The ledger's schema, which the reads' commands name.</summary>
    public static string Schema(IQuerySession session) => session.DocumentStore.Options.DatabaseSchemaName;

    /// <summary>
    /// A connection of the reads' own pool for the session's store (<see cref="StoreConnections.ForReadsOf"/>), open; of
    /// Marten's for a store configured without registering it. Only for prepared reads: the pool does not reset what a connection leaves on it, so
    /// nothing run on one may change its session (no <c>SET</c>, temporary table, session lock, <c>LISTEN</c>).
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(IQuerySession session, CancellationToken ct)
    {
        var connection = StoreConnections.ForReadsOf(session.DocumentStore.Options) is { } readWith
            ? new NpgsqlConnection(readWith)
            : (NpgsqlConnection)session.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public static NpgsqlBatch Batch(NpgsqlConnection connection, IEnumerable<NpgsqlBatchCommand> commands)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var command in commands) batch.BatchCommands.Add(command);
        return batch;
    }

    /// <summary>Prepares the batch's statements where this connection has not yet (no round trip when it has), then runs it.</summary>
    public static async Task<NpgsqlDataReader> ExecuteAsync(NpgsqlBatch batch, CancellationToken ct)
    {
        await batch.PrepareAsync(ct);
        return await batch.ExecuteReaderAsync(ct);
    }

    /// <summary>A command of positional parameters (<c>$1</c>, …), typed, so that its prepared statement fits every call.</summary>
    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(p);
        return command;
    }
}
