using Ledger.Domain.Events;
using Marten;
using Npgsql;

namespace Ledger.Api.Ingestion;

/// <summary>
/// One write of recorded documents (a package, an import): a transaction on a connection of its own, whose sessions
/// (one, or one per chunk) run under the write's timeout and carry its recording, sealed just before it commits
/// (<see cref="Audit.AuditChainSchema.SealNowAsync"/>), so that sealing runs under that timeout and not inside a COMMIT
/// bound by the connection string's.
/// </summary>
internal sealed class SealedWrite : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly Recording _recording;
    private readonly int _timeoutSeconds;

    private SealedWrite(IDocumentStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, Recording recording, int timeoutSeconds) =>
        (_store, _connection, _transaction, _recording, _timeoutSeconds) = (store, connection, transaction, recording, timeoutSeconds);

    /// <summary>
    /// A write's large values (a package's bytes and record: tens of MB for 100,000 facts) are compressed with LZ4 where the
    /// server has it, for this transaction only: PostgreSQL's default, pglz, took 0.4 s of such a write. Reading them back
    /// needs nothing: each value names its method. A server built without LZ4 refuses the setting, which the block takes,
    /// leaving pglz: one statement a write, asked of whatever server the connection reaches. Asking <c>pg_settings</c> first
    /// took 0.56 ms of every package's 28 on the service path at <c>medium</c>; by <c>pgbench</c>, a transaction of it took
    /// 0.53 ms more than an empty one, of this block 0.07–0.11 ms more, of a bare <c>SET LOCAL</c> 0.04–0.06.
    /// </summary>
    private const string PreferLz4 =
        "do $$ begin set local default_toast_compression = lz4; exception when invalid_parameter_value then null; end $$";

    public static async Task<SealedWrite> BeginAsync(IDocumentStore store, Recording recording, int timeoutSeconds, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var transaction = await connection.BeginTransactionAsync(ct);
            await using (var lz4 = new NpgsqlCommand(PreferLz4, connection, transaction)) await lz4.ExecuteNonQueryAsync(ct);
            return new SealedWrite(store, connection, transaction, recording, timeoutSeconds);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A session in the write's transaction; its changes are in the transaction once saved, committed by <see cref="CommitAsync"/>.</summary>
    public IDocumentSession Session()
    {
        var options = Marten.Services.SessionOptions.ForTransaction(_transaction);
        options.Timeout = _timeoutSeconds;
        var session = _store.LightweightSession(options);
        DisclosureIngestion.Describe(session, _recording);
        return session;
    }

    /// <summary>A command of the write's own (not a session's), in its transaction and under its timeout.</summary>
    public NpgsqlCommand Command(string sql) => new(sql, _connection, _transaction) { CommandTimeout = _timeoutSeconds };

    /// <summary>A binary COPY into a table, in the write's transaction.</summary>
    public Task<NpgsqlBinaryImporter> CopyAsync(string copyFromStdin, CancellationToken ct) => _connection.BeginBinaryImportAsync(copyFromStdin, ct);

    public async Task CommitAsync(CancellationToken ct)
    {
        await Audit.AuditChainSchema.SealNowAsync(_connection, _timeoutSeconds, ct);
        await _transaction.CommitAsync(ct);
    }

    /// <summary>Rolls back what was not committed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
