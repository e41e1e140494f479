using Ledger.Api.Database;
using Ledger.Domain.Events;
using Marten;
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
/// every record the load wrote, figure digests and all: 1.75 s of `medium`'s bulk load (5,000 records). A ledger that
/// an older build left with such marks is recovered as before.
/// </para>
/// </summary>
public static class BulkLoadJournal
{
    public const string Name = "pending_bulk_loads";

    private static string Table => $"{MartenSetup.Schema}.{Name}";

    private static string Packages => $"{MartenSetup.Schema}.mt_doc_loadedpackage";

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

    /// <summary>Completes or undoes every unfinished bulk load; says what it did, one line per load.</summary>
    public static async Task<IReadOnlyList<string>> RecoverAsync(IDocumentStore store, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(LoadedPackage), ct);
        var done = new List<string>();
        await using var session = store.LightweightSession();
        var pending = await session.AdvancedSql.QueryAsync<string>(
            $"select load || ' ' || document_id from {Table} " +
            $"union all select data ->> 'pendingBulkLoad' || ' ' || id from {Packages} where data ->> 'pendingBulkLoad' is not null order by 1", ct);
        foreach (var load in pending.Select(p => p.Split(' ', 2)).GroupBy(p => p[0], p => p[1]))
        {
            var documents = load.Distinct(StringComparer.Ordinal).ToArray();
            var written = await session.AdvancedSql.QueryAsync<bool>(
                $"select exists (select 1 from {MartenSetup.Schema}.mt_streams where id = any(?))", ct, (object)documents.Select(StreamKeys.Document).ToArray());
            if (written.Single())
            {
                session.QueueSqlCommand($"update {Packages} set data = data - 'pendingBulkLoad' where id = any(?) and data ->> 'pendingBulkLoad' is not null", (object)documents);
                session.QueueSqlCommand($"delete from {Table} where load = ?", load.Key);
                await session.SaveChangesAsync(ct);
                done.Add($"The bulk load {load.Key} had written its events before it stopped; its {documents.Length} package record(s) are now complete.");
            }
            else
            {
                session.QueueSqlCommand($"delete from {PackageBodies.Table} where document_id = any(?)", (object)documents);
                session.QueueSqlCommand($"delete from {Packages} where id = any(?)", (object)documents);
                session.QueueSqlCommand($"delete from {Table} where load = ?", load.Key);
                await session.SaveChangesAsync(ct);
                done.Add($"The bulk load {load.Key} stopped before writing its events; its {documents.Length} package record(s) are removed: run it again.");
            }
        }
        return done;
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
