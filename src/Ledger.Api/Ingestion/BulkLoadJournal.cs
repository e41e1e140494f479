using Ledger.Api.Database;
using Ledger.Domain.Events;
using Marten;
using Npgsql;
using Weasel.Postgresql.Tables;

namespace Ledger.Api.Ingestion;

/// <summary>
/// Finishes what a bulk load that died left behind. Before a load writes a package's record, it notes the record in
/// <see cref="Name"/> under the load's id; the events of one load are one transaction, after which the notes go. So a
/// load with notes left either has all of its events (the notes go: the load is complete) or none (its records, their
/// bytes and the notes go: the load never happened, and can be run again). The views were marked for rebuild before the
/// load wrote anything, so the start that runs this also rebuilds them.
/// <para>
/// Until 2026-12-05 the mark was in each record (<see cref="LoadedPackage.PendingBulkLoad"/>), and clearing it rewrote
/// every record the load wrote, figure digests and all: 1.75 s of `medium`'s bulk load (5,000 records, in PostgreSQL's
/// log). A ledger that an older build left with such marks is recovered as before.
/// </para>
/// </summary>
public static class BulkLoadJournal
{
    public const string Name = "pending_bulk_loads";

    private static string Table => $"{MartenSetup.Schema}.{Name}";

    private static string Packages => LoadedPackage.Table;

    public static Table Definition(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("document_id").AsPrimaryKey();
        table.AddColumn<string>("load").NotNull();
        return table;
    }

    /// <summary>Notes the records a load is about to write, in a transaction of its own, committed before they are.</summary>
    public static async Task NoteAsync(IDocumentStore store, string load, IReadOnlyList<string> documents, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($"insert into {Table} (document_id, load) select unnest(?), ?", (object)documents.ToArray(), load);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The load's events are committed: its notes go (one small row per record).</summary>
    public static async Task CompleteAsync(IDocumentStore store, string load, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($"delete from {Table} where load = ?", load);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Completes or undoes every unfinished bulk load; says what it did, one line per load. A load still running holds
    /// the chain's lock (<see cref="Audit.AuditChainSchema.LockKey"/>) from its first stream row until its commit, sealing
    /// included (minutes for a market), and its notes say nothing yet: so the loads noted are judged under that lock,
    /// which a running load's end releases, committed or not. A start that finds notes while a load runs waits for it.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RecoverAsync(IDocumentStore store, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(LoadedPackage), ct);
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if ((await PendingAsync(connection, null, ct)).Count == 0) return [];
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, transaction, $"select pg_advisory_xact_lock({Audit.AuditChainSchema.LockKey})", [], ct);
        var done = new List<string>();
        foreach (var load in (await PendingAsync(connection, transaction, ct)).GroupBy(p => p.Load, p => p.Document))
        {
            var documents = load.Distinct(StringComparer.Ordinal).ToArray();
            await using var exists = new NpgsqlCommand($"select exists (select 1 from {MartenSetup.Schema}.mt_streams where id = any($1))", connection, transaction)
            {
                Parameters = { new() { Value = documents.Select(StreamKeys.Document).ToArray() } },
            };
            if ((bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                await ExecuteAsync(connection, transaction, $"update {Packages} set data = data - 'pendingBulkLoad' where id = any($1) and data ->> 'pendingBulkLoad' is not null", [documents], ct);
                await ExecuteAsync(connection, transaction, $"delete from {Table} where load = $1", [load.Key], ct);
                done.Add($"The bulk load {load.Key} had written its events before it stopped; its {documents.Length} package record(s) are now complete.");
            }
            else
            {
                await ExecuteAsync(connection, transaction, $"delete from {PackageBodies.Table} where document_id = any($1)", [documents], ct);
                await ExecuteAsync(connection, transaction, $"delete from {Packages} where id = any($1)", [documents], ct);
                await ExecuteAsync(connection, transaction, $"delete from {Table} where load = $1", [load.Key], ct);
                done.Add($"The bulk load {load.Key} stopped before writing its events; its {documents.Length} package record(s) are removed: run it again.");
            }
        }
        await transaction.CommitAsync(ct);
        return done;
    }

    /// <summary>The records noted by loads that have not completed, and those an older build marked inside the records.</summary>
    private static async Task<List<(string Load, string Document)>> PendingAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select load, document_id from {Table} union all " +
            $"select data ->> 'pendingBulkLoad', id from {Packages} where data ->> 'pendingBulkLoad' is not null order by 1, 2", connection, transaction);
        var pending = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) pending.Add((reader.GetString(0), reader.GetString(1)));
        return pending;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object[] parameters, CancellationToken ct)
    {
        // No timeout: the lock waits for a running load to end.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// At start, before the views are checked and the seeds load: unfinished bulk loads are completed or undone, and the
/// package bytes older records carry are moved to <see cref="PackageBodies"/>.
/// </summary>
public sealed class BulkLoadRecovery(IDocumentStore store, ILogger<BulkLoadRecovery> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var line in await BulkLoadJournal.RecoverAsync(store, ct)) log.LogWarning("{Recovery}", line);
        if (await PackageBodies.MoveFromRecordsAsync(store, ct) is > 0 and var moved)
            log.LogInformation("Moved the bytes of {Packages} package(s) loaded by an older build into {Table}.", moved, PackageBodies.Table);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
