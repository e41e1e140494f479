using System.Diagnostics;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Ledger.Projections;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Ledger.Projections.Checks;
using Marten;

namespace Ledger.Api.Database;

public sealed record RebuiltProjection(string Projection, double Seconds);

/// <summary>Which shape of the stored views the database holds (one document, id "views").</summary>
public sealed class StoredViewsVersion
{
    public string Id { get; set; } = "views";
    public string Version { get; set; } = "";
    public DateTimeOffset BuiltAt { get; set; }
    /// <summary>Set while a rebuild runs (and left set by one that died): the views are incomplete, so reads answer 503.</summary>
    public DateTimeOffset? RebuildStartedAt { get; set; }
}

/// <summary>Rebuilds every view from the event log. The views are pure functions of the events, so the result equals the live one.</summary>
public static class ProjectionRebuild
{
    /// <summary>
    /// The tables of the stored views, for whoever compares live views with rebuilt ones: from the store's registrations
    /// (<see cref="MartenSetup.Configure"/>), so that a view added later is compared without being listed here.
    /// </summary>
    public static IReadOnlyList<string> ViewTables => Registered.Value;

    // Worked out when first asked for (by the tests and the benchmark), from options configured but never connected.
    private static readonly Lazy<IReadOnlyList<string>> Registered = new(() =>
    {
        var options = new StoreOptions();
        MartenSetup.Configure(options, "Host=localhost");
        return ViewTablesOf(options);
    });

    /// <summary>
    /// Each projection's tables: those of the documents it publishes, and those its registration empties when it is
    /// rebuilt (the row tables of <see cref="FigureViews"/> and <see cref="Ledger.Projections.Checks.CheckViews"/>).
    /// </summary>
    public static IReadOnlyList<string> ViewTablesOf(StoreOptions options) =>
        options.Projections.All
            .SelectMany(p => p.PublishedTypes().Select(t => options.Storage.FindFeature(t).Objects.OfType<Weasel.Postgresql.Tables.Table>().Single().Identifier.Name)
                .Concat(((ProjectionBase)p).Options.CleanUps.OfType<DeleteTableData>().Select(d => d.TableIdentifier[(d.TableIdentifier.LastIndexOf('.') + 1)..])))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// A query for a view table's rows as text in a canonical order, to compare two states byte for byte: a document
    /// table as id and jsonb; a row table as each row's JSON in the order a figure's rows are folded, without its
    /// position, which only orders the rows (a rebuild numbers them afresh); a statement line's by figure and date; a
    /// check finding's by its key; an entity's check state as its findings' count and whether they are worked out, not
    /// the marks' counts, which count the transactions (live) or the pages of the log (rebuilt) that marked it.
    /// </summary>
    public static string RowsAsTextSql(string table) => table switch
    {
        _ when table.StartsWith("mt_doc_", StringComparison.Ordinal) => $"select id || ' ' || data::text from {MartenSetup.Schema}.{table} order by id",
        StatementLineTable.Name => $"select to_jsonb(t)::text from {MartenSetup.Schema}.{table} t order by figure collate \"C\", known_from",
        CheckTables.Findings => $"select to_jsonb(t)::text from {MartenSetup.Schema}.{table} t order by key collate \"C\"",
        CheckTables.State => $"select entity || ' ' || findings || case when computed >= marked then ' worked out' else ' due' end " +
                             $"from {MartenSetup.Schema}.{table} order by entity collate \"C\"",
        _ => $"select (to_jsonb(t) - 'position')::text from {MartenSetup.Schema}.{table} t order by figure collate \"C\", position",
    };

    /// <summary>
    /// The shape of the stored views. Change it whenever a projection's stored document changes shape, so that a
    /// database written by an older build rebuilds its views at start instead of failing to read them.
    /// </summary>
    public const string ViewsVersion = "2026-12-06.statement-lines-narrow";

    /// <summary>Rebuilds the views when they were stored by a build with another shape; says whether it did.</summary>
    public static async Task<bool> EnsureCurrentAsync(IDocumentStore store, TimeProvider clock, Action<string> log, CancellationToken ct)
    {
        await using (var query = store.QuerySession())
        {
            var stored = await query.LoadAsync<StoredViewsVersion>("views", ct);
            if (stored?.Version == ViewsVersion && stored.RebuildStartedAt is null) return false;
            if ((await store.Advanced.FetchEventStoreStatistics(token: ct)).EventCount > 0)
            {
                log(stored?.RebuildStartedAt is { } started
                    ? $"A rebuild of the views started at {started:O} did not finish; rebuilding them from the event log."
                    : $"The stored views were built by another version ({stored?.Version ?? "unrecorded"}); rebuilding them from the event log.");
                await DropRetiredViewsAsync(store, ct);
                var watch = Stopwatch.StartNew();
                await RunAsync(store, ct);
                log($"Views rebuilt in {watch.Elapsed.TotalSeconds:F1} s.");
                return true;
            }
        }
        await MarkCurrentAsync(store, clock, ct);
        return false;
    }

    /// <summary>Tables of views that older builds stored and this one derives otherwise (figure histories and as-reported figures are read from the stated-value rows).</summary>
    private static readonly string[] RetiredViewTables = ["mt_doc_figurehistory", "mt_doc_asreportedfigure"];

    private static async Task DropRetiredViewsAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = string.Join("; ", RetiredViewTables.Select(t => $"drop table if exists {MartenSetup.Schema}.{t}"));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task MarkCurrentAsync(IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(new StoredViewsVersion { Version = ViewsVersion, BuiltAt = clock.GetUtcNow() });
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Rebuilds running in this process, per database (host, port, name): <see cref="RebuildGate"/> answers 503 for
    /// them without asking the database. Per database, because one process may serve several (tests, tools).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> InProgress = new(StringComparer.Ordinal);

    public static bool InProgressHere(string database) => InProgress.TryGetValue(database, out var n) && n > 0;

    /// <summary>The database a store writes to, as "host:port/name".</summary>
    public static string DatabaseOf(IDocumentStore store)
    {
        using var connection = store.Storage.Database.CreateConnection();
        var c = new Npgsql.NpgsqlConnectionStringBuilder(connection.ConnectionString);
        return $"{c.Host}:{c.Port}/{c.Database}";
    }

    public static async Task<IReadOnlyList<RebuiltProjection>> RunAsync(IDocumentStore store, CancellationToken ct)
    {
        var database = DatabaseOf(store);
        InProgress.AddOrUpdate(database, 1, (_, n) => n + 1);
        try
        {
            await MarkStartedAsync(store, ct);
            // A service in another process looks at the mark at most this long after it was set: only then may views go.
            // Not even the stated values, though a reader waits for the transaction of their COPY and then sees it whole: a
            // request admitted meanwhile would wait on it for the whole COPY (minutes at large) instead of getting
            // 503, and be let go just as the daemon empties the other views. (Tried 2026-12-05, the stated values first and
            // the wait after them: 0.5 s of a rebuild, 5 % at medium.)
            await Task.Delay(RebuildGate.RecheckEvery, ct);
            return await RebuildAllAsync(store, ct);
        }
        finally
        {
            InProgress.AddOrUpdate(database, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Marks the views as being rebuilt: until a rebuild completes, reads answer 503 and a start rebuilds them.</summary>
    public static async Task MarkStartedAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var stored = await session.LoadAsync<StoredViewsVersion>("views", ct) ?? new StoredViewsVersion();
        stored.RebuildStartedAt = DateTimeOffset.UtcNow;
        session.Store(stored);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// How long the daemon may take to replay one projection. Its default (5 minutes) stopped a bulk load of a whole market
    /// (`large`: 9.5 million events) in its rebuild, leaving the views marked as being rebuilt; a rebuild is bounded by
    /// its caller's cancellation, not by a guess at the log's size.
    /// </summary>
    private static readonly TimeSpan ShardTimeout = TimeSpan.FromHours(12);

    private static async Task<RebuiltProjection> TimedAsync(string projection, Func<Task> rebuild)
    {
        var watch = Stopwatch.StartNew();
        await rebuild();
        return new RebuiltProjection(projection, watch.Elapsed.TotalSeconds);
    }

    private static async Task<IReadOnlyList<RebuiltProjection>> RebuildAllAsync(IDocumentStore store, CancellationToken ct)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        // Every projection the store registers (MartenSetup), so that a new view is rebuilt without being listed here; the
        // views of many rows stream the log in with COPY themselves (IRebuiltByCopy), the rest are replayed by the daemon,
        // meanwhile: each view is a function of the events alone, none reads another, and the daemon's few events (a
        // document's, an entity's) kept a core busy 0.6 s at `medium` after the COPY was done.
        var projections = ((StoreOptions)store.Options).Projections.All;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var copied = projections
            .Select(p => p is ProjectionWrapper<IDocumentOperations, IQuerySession> { Inner: IRebuiltByCopy copy }
                ? Task.Run(async () =>
                {
                    try
                    {
                        return await TimedAsync(p.Name, () => copy.RebuildAsync(store, failed.Token));
                    }
                    catch
                    {
                        // The replays stop too.
                        await failed.CancelAsync();
                        throw;
                    }
                }, CancellationToken.None)
                : null)
            .ToList();
        var replayed = new Dictionary<string, RebuiltProjection>();
        try
        {
            foreach (var projection in projections.Where((_, i) => copied[i] is null))
                replayed[projection.Name] = await TimedAsync(projection.Name, () => daemon.RebuildProjectionAsync(projection.Name, ShardTimeout, failed.Token));
        }
        catch (Exception e)
        {
            // The copies stop too, and roll back; the rebuild's mark stays for the next rebuild to redo them all.
            await failed.CancelAsync();
            var copies = copied.OfType<Task<RebuiltProjection>>().ToList();
            await Task.WhenAll(copies.Select(t => t.ContinueWith(c => _ = c.Exception, TaskScheduler.Default)));
            // A replay stopped because a copy failed: the copy's failure is the one to report.
            if (e is OperationCanceledException && !ct.IsCancellationRequested && copies.FirstOrDefault(t => t.IsFaulted) is { } failedCopy)
                await failedCopy;
            throw;
        }
        var results = new List<RebuiltProjection>();
        for (var i = 0; i < projections.Count; i++)
            results.Add(copied[i] is { } copy ? await copy : replayed[projections[i].Name]);
        await MarkCurrentAsync(store, TimeProvider.System, ct);
        return results;
    }
}
