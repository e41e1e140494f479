using Ledger.Api.Database;
using Ledger.Domain.Events;
using Marten;

namespace Ledger.Api.Ingestion;

/// <summary>
/// Finishes what a bulk load that died left behind. Its package records carry the load's id until its events are
/// committed; the events of one load are one transaction. So a load whose records are still marked pending either has
/// all of its events (the marks are cleared: the load is complete) or none (the records are deleted: the load never
/// happened, and can be run again). The views were marked for rebuild before the load wrote anything, so the start that
/// runs this also rebuilds them.
/// </summary>
public static class BulkLoadJournal
{
    private static string Packages => $"{MartenSetup.Schema}.mt_doc_loadedpackage";

    /// <summary>
    /// Clears the load's pending marks: one update of every package record it wrote (a market's: tens of thousands,
    /// minutes), under a timeout that grows with them, 30 s plus a second per 100.
    /// </summary>
    public static async Task CompleteAsync(IDocumentStore store, string load, int packages, CancellationToken ct)
    {
        await using var session = store.LightweightSession(new Marten.Services.SessionOptions { Timeout = 30 + packages / 100 });
        session.QueueSqlCommand($"update {Packages} set data = data - 'pendingBulkLoad' where data ->> 'pendingBulkLoad' = ?", load);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Completes or undoes every unfinished bulk load; says what it did, one line per load.</summary>
    public static async Task<IReadOnlyList<string>> RecoverAsync(IDocumentStore store, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(LoadedPackage), ct);
        var done = new List<string>();
        await using var session = store.LightweightSession();
        var pending = await session.AdvancedSql.QueryAsync<string>(
            $"select data ->> 'pendingBulkLoad' || ' ' || id from {Packages} where data ->> 'pendingBulkLoad' is not null order by id", ct);
        foreach (var load in pending.Select(p => p.Split(' ', 2)).GroupBy(p => p[0], p => p[1]))
        {
            var documents = load.ToArray();
            var written = await session.AdvancedSql.QueryAsync<bool>(
                $"select exists (select 1 from {MartenSetup.Schema}.mt_streams where id = any(?))", ct, (object)documents.Select(StreamKeys.Document).ToArray());
            if (written.Single())
            {
                await CompleteAsync(store, load.Key, documents.Length, ct);
                done.Add($"The bulk load {load.Key} had written its events before it stopped; its {documents.Length} package record(s) are now complete.");
            }
            else
            {
                session.QueueSqlCommand($"delete from {PackageBodies.Table} where document_id = any(?)", (object)documents);
                session.QueueSqlCommand($"delete from {Packages} where data ->> 'pendingBulkLoad' = ?", load.Key);
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
