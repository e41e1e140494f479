using System.Diagnostics;
using System.Text.Json;
using JasperFx.Events;
using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Ledger.Domain.Entities;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Domain.PolicyChanges;
using Ledger.Domain.Values;
using Marten;
using Marten.Events;

namespace Ledger.Api.Ingestion;

public sealed record BulkLoadResult(
    bool Loaded,
    int Packages,
    int Facts,
    long Events,
    double WriteSeconds,
    double RebuildSeconds,
    IReadOnlyList<string> Problems);

/// <summary>
/// Seeds a ledger with many documents at once: the path a vendor takes to load years of history. Every package
/// is read and validated exactly as the service's handler reads it (same reader, same rules, the ledger plus the
/// packages before it in publication order as context), so the same events with the same recording metadata result;
/// they are then written with PostgreSQL COPY (Marten's streamed bulk event insert) and every view is rebuilt from the
/// log, so the views equal what the normal path would have built. All or nothing up to the write: one bad package, a
/// document twice, or a stream the ledger already holds refuses the whole load. Bulk insert creates streams only, so
/// documents that extend streams already in the ledger go through the normal path (<c>load</c>).
/// <para>
/// Memory does not grow with the load: nothing of a package is kept from one pass to the next but its date, id and
/// hash, and of its streams their lengths, and its bytes are read when it is (<see cref="BulkPackage"/>: the command
/// reads each file then). The packages are read three times: for their order and what they refer to; in that order,
/// validated; and again, each planned and its events streamed into the one COPY transaction as it is read, its record
/// and bytes written beside them a batch at a time.
/// </para>
/// </summary>
public sealed class BulkLoad(IDocumentStore store, ConceptCatalog catalog, TimeProvider clock)
{
    /// <summary>Package records written at a time while the events stream in.</summary>
    private const int RecordBatch = 1_000;

    public Task<BulkLoadResult> RunAsync(IReadOnlyList<(string Name, byte[] Body)> files, Recording recording, CancellationToken ct) =>
        RunAsync(files.Select(f => new BulkPackage(f.Name, () => f.Body)).ToList(), recording, ct);

    public async Task<BulkLoadResult> RunAsync(IReadOnlyList<BulkPackage> files, Recording recording, CancellationToken ct)
    {
        // 1. Every package read for its document's date and id, and what it refers to in the ledger; nothing else kept.
        var (order, entityStreams, documentStreams, skimProblems) = Skim(files, ct);
        if (skimProblems.Count > 0) return Refused(files.Count, skimProblems);
        LedgerContext ledger;
        await using (var session = store.QuerySession())
            ledger = await DisclosureIngestion.ContextFor(session, entityStreams, documentStreams, ct);
        recording = recording.At(clock.GetUtcNow());

        // 2. Validated in that order, each package against the ledger and the packages before it.
        var (streams, hashes, facts, problems) = Validate(files, order, ledger, recording, ct);
        if (problems.Count > 0) return Refused(files.Count, problems);

        // Bulk insert only creates streams: one that exists already must be extended through the normal path.
        var existing = await ExistingStreamsAsync(streams.Keys.ToArray(), ct);
        if (existing.Count > 0)
            return Refused(files.Count, [.. existing.Take(20).Select(s => $"the ledger already holds stream '{s}': load the documents that extend it with the normal path (load)"),
                .. existing.Count > 20 ? [$"… and {existing.Count - 20} more"] : Array.Empty<string>()]);

        // 3. The write. COPY fires the sealing triggers like any insert: they must exist before the first row is written.
        await Audit.AuditChainSchema.EnsureAsync(store, ct);
        var watch = Stopwatch.StartNew();
        // A journal first, so that a crash at any point leaves what the next start completes or undoes, never half a
        // load: the views marked for rebuild (from here on they would be stale: reads answer 503 until the rebuild
        // below), then the events in one transaction (all or none), each package's record noted as pending, then written
        // beside them, and then its bytes, all committed before the events are; then the notes removed.
        // BulkLoadJournal does the rest after a crash: a load undone takes its noted records and their bytes with it.
        var load = Guid.NewGuid().ToString("N");
        await ProjectionRebuild.MarkStartedAsync(store, ct);
        var headers = streams.Select(s => new BulkEventStreamHeader { Key = s.Key, Version = s.Value }).ToList();
        long events = 0;
        await using (var writer = WithoutCommandTimeout(store))
            await writer.BulkInsertEventStreamAsync(JasperFx.StorageConstants.DefaultTenantId, headers, EventsAsync(), batchSize: 10_000, cancellation: ct);
        await BulkLoadJournal.CompleteAsync(store, load, ct);
        await AnalyzeEventTablesAsync(store, ct);
        var written = watch.Elapsed.TotalSeconds;

        watch.Restart();
        await ProjectionRebuild.RunAsync(store, ct);
        return new BulkLoadResult(true, order.Length, facts, events, written, watch.Elapsed.TotalSeconds, []);

        // The packages planned again, in the same order against the same context as they were validated, so the same
        // events result; each event given its stream's next version and the metadata the normal path gives it.
        async IAsyncEnumerable<IEvent> EventsAsync()
        {
            var context = new PlanningContext(ledger);
            var versions = new Dictionary<string, long>(StringComparer.Ordinal);
            var records = new List<LoadedPackage>(RecordBatch);
            var bodies = new List<(string, string, byte[])>(RecordBatch);
            foreach (var (i, body, package) in InOrder(files, order, ct))
            {
                var hash = ReceivedPackage.ContentHash(body);
                // A file changed since it was validated would write what was not validated (and streams of other lengths).
                if (hash != hashes[i]) throw new InvalidOperationException($"{files[i].Name} changed while it was being loaded; nothing was loaded: run the load again");
                var (plan, _) = Plan(files[i].Name, hash, package, context, recording);
                if (plan is null) throw new InvalidOperationException($"{files[i].Name} was valid when validated and is not now: the planning is not deterministic");
                var reason = ReasonFor(files[i].Name);
                // Grouped by stream as the service path appends them.
                foreach (var group in plan.Events.GroupBy(e => e.Stream))
                {
                    var action = StreamAction.Start(((DocumentStore)store).Events, group.Key, group.Select(e => e.Event).ToArray());
                    foreach (var e in action.Events)
                    {
                        e.Version = versions[group.Key] = versions.GetValueOrDefault(group.Key) + 1;
                        e.UserName = recording.RecordedBy;
                        e.CorrelationId = recording.CorrelationId;
                        e.SetHeader("reason", reason);
                        events++;
                        yield return e;
                    }
                }
                records.Add(PackageContent.Of(plan).ToLoadedPackage(plan.DocumentId, hash));
                bodies.Add((plan.DocumentId, hash, body));
                if (records.Count == RecordBatch) await FlushAsync();
            }
            await FlushAsync();

            async Task FlushAsync()
            {
                if (records.Count == 0) return;
                await BulkLoadJournal.NoteAsync(store, load, records.Select(r => r.Id).ToList(), ct);
                await store.BulkInsertAsync(records, batchSize: RecordBatch, cancellation: ct);
                await PackageBodies.WriteAsync(store, bodies, ct);
                records.Clear();
                bodies.Clear();
            }
        }
    }

    /// <summary>
    /// The first reading: every package for its document's date and id and the streams it refers to, on every core
    /// (packages are read independently of each other); their order of publication, so that a restatement finds the
    /// document it restates, as it would have in the ledger (dates are yyyy-MM-dd, so they order as text; a package
    /// without one fails validation after).
    /// </summary>
    private static (int[] Order, HashSet<string> EntityStreams, HashSet<string> DocumentStreams, List<string> Problems) Skim(IReadOnlyList<BulkPackage> files, CancellationToken ct)
    {
        var skims = new PackageSkim?[files.Count];
        var found = new List<string>?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var problemsOfFile = new List<string>();
            if (Read(files[i].Name, files[i].Read(), problemsOfFile) is { } package) skims[i] = PackageSkim.Of(package);
            if (problemsOfFile.Count > 0) found[i] = problemsOfFile;
        });
        var problems = found.Where(f => f is not null).SelectMany(f => f!).ToList();
        var (entityStreams, documentStreams) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        foreach (var skim in skims.OfType<PackageSkim>())
        {
            entityStreams.UnionWith(skim.EntityStreams);
            documentStreams.UnionWith(skim.DocumentStreams);
        }
        if (problems.Count > 0) return ([], entityStreams, documentStreams, problems);
        var order = Enumerable.Range(0, files.Count).OrderBy(i => skims[i]!.Date, StringComparer.Ordinal).ThenBy(i => skims[i]!.Id, StringComparer.Ordinal).ToArray();
        return (order, entityStreams, documentStreams, problems);
    }

    /// <summary>
    /// The second reading: in publication order, each package validated against the ledger and the packages before it (the
    /// ledger read once, not per package: a market is 50,000); of each plan only its streams' lengths are kept, for
    /// mt_streams, and of each package its content hash, to check that the third reading reads the same bytes.
    /// </summary>
    private (Dictionary<string, long> Streams, string[] Hashes, int Facts, List<string> Problems) Validate(IReadOnlyList<BulkPackage> files, int[] order,
        LedgerContext ledger, Recording recording, CancellationToken ct)
    {
        var streams = new Dictionary<string, long>(StringComparer.Ordinal);
        var planned = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new string[files.Count];
        var facts = 0;
        var problems = new List<string>();
        var validation = new PlanningContext(ledger);
        foreach (var (i, body, package) in InOrder(files, order, ct))
        {
            var name = files[i].Name;
            var hash = hashes[i] = ReceivedPackage.ContentHash(body);
            var (plan, errors) = Plan(name, hash, package, validation, recording);
            if (plan is null)
            {
                problems.AddRange(errors.Select(e => $"{name}: {e.Path}: {e.Message}"));
                continue;
            }
            if (!planned.Add(plan.DocumentId)) problems.Add($"{name}: $.document.id: '{plan.DocumentId}' is in the load twice");
            facts += plan.Facts + plan.Restatements;
            foreach (var e in plan.Events) streams[e.Stream] = streams.GetValueOrDefault(e.Stream) + 1;
        }
        return (streams, hashes, facts, problems);
    }

    /// <summary>
    /// The planner's statistics of the event tables, taken as soon as the load has committed, as the rebuild takes its
    /// rows' (<see cref="Ledger.Projections.Figures.StatedValueTables"/>): what PostgreSQL knew of them describes the
    /// ledger before the load, if anything, and autovacuum comes round minutes later. Measured at `medium` (955,500
    /// events loaded into an empty ledger): without them the rebuild right after read the log by a parallel bitmap scan
    /// sorted on disk (450 MB, 1.5–2 s before its first event) instead of walking the sequence index, and Marten's daemon
    /// looked for the log's high-water mark by a sequential scan (0.29 s, five times a rebuild: the five small views took
    /// 2.0–2.3 s instead of 0.6–0.9). Only the columns reads filter or order by: the statistics of the events' JSON would
    /// cost twice as long (0.35 s against 0.7) and serve no query.
    /// </summary>
    private static async Task AnalyzeEventTablesAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"analyze {MartenSetup.Schema}.mt_events (seq_id, stream_id, version, type, is_archived), {MartenSetup.Schema}.mt_streams";
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A package's bytes checked and read as the handler reads them, or null with the problems added.</summary>
    private static DisclosurePackage? Read(string name, byte[] body, List<string> problems)
    {
        var (package, errors) = ReceivedPackage.Parse(body);
        problems.AddRange(errors.Select(e => $"{name}: {e.Path}: {e.Message}"));
        return package;
    }

    /// <summary>
    /// The packages (read before without a problem) read again in the order given: a batch at a time on every core, handed
    /// out one by one in order, so that only a batch's object graphs are in memory.
    /// </summary>
    private static IEnumerable<(int Index, byte[] Body, DisclosurePackage Package)> InOrder(IReadOnlyList<BulkPackage> files, int[] order, CancellationToken ct)
    {
        const int batch = 256;
        var packages = new (byte[] Body, DisclosurePackage Package)[batch];
        for (var at = 0; at < order.Length; at += batch)
        {
            var count = Math.Min(batch, order.Length - at);
            Parallel.For(0, count, new ParallelOptions { CancellationToken = ct },
                k =>
                {
                    var body = files[order[at + k]].Read();
                    packages[k] = (body, JsonSerializer.Deserialize<DisclosurePackage>(body, DisclosureIngestion.PackageJson)!);
                });
            for (var k = 0; k < count; k++) yield return (order[at + k], packages[k].Body, packages[k].Package);
        }
    }

    /// <summary>A package planned against the context, which then includes it.</summary>
    private (PackagePlan? Plan, IReadOnlyList<PackageError> Errors) Plan(string name, string hash, DisclosurePackage package, PlanningContext context, Recording recording)
    {
        var (plan, errors) = new PackageReader(catalog).Read(package, context.Context, recording with { Reason = ReasonFor(name) }, hash);
        if (plan is not null) context.Add(plan);
        return (plan, errors);
    }

    /// <summary>
    /// A store like <paramref name="store"/> whose commands may run as long as they take. Marten's bulk insert commits on a
    /// connection of its own, and sealing at commit seals every event of the load inside that COMMIT (a market's million
    /// events take minutes): under the store's command timeout the commit would be cut short and the load lost.
    /// </summary>
    private static DocumentStore WithoutCommandTimeout(IDocumentStore store)
    {
        var unlimited = new Npgsql.NpgsqlConnectionStringBuilder(MartenSetup.ConnectionStringOf(store)) { CommandTimeout = 0 }.ConnectionString;
        return DocumentStore.For(o => MartenSetup.Configure(o, unlimited));
    }

    private async Task<IReadOnlyList<string>> ExistingStreamsAsync(string[] keys, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var found = new List<string>();
        foreach (var chunk in keys.Chunk(5_000))
        {
            var rows = await session.AdvancedSql.QueryAsync<string>(
                $"select id from {MartenSetup.Schema}.mt_streams where id = any(?)", ct, (object)chunk);
            found.AddRange(rows);
        }
        return found.Order(StringComparer.Ordinal).ToList();
    }

    private static string ReasonFor(string name) => $"bulk load of {name}";

    private static BulkLoadResult Refused(int packages, IReadOnlyList<string> problems) => new(false, packages, 0, 0, 0, 0, problems);
}
