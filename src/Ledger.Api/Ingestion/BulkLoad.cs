using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using JasperFx.Events;
using Ledger.Api.Database;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Packages;
using Ledger.Domain.Values;
using Marten;

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
/// is read and validated exactly as <see cref="DisclosureIngestion"/> reads it (same reader, same rules, the ledger
/// plus the packages before it in publication order as context), so the same events with the same recording
/// metadata result; they are then written with PostgreSQL COPY (Marten's bulk event insert) and every view is
/// rebuilt from the log, so the views equal what the normal path would have built. All or nothing up to the
/// write: one bad package, a document twice, or a stream the ledger already holds refuses the whole load.
/// Bulk insert creates streams only, so documents that extend figures already in the ledger go through the
/// normal path (<c>load</c>).
/// </summary>
public sealed class BulkLoad(IDocumentStore store, ConceptCatalog catalog, TimeProvider clock)
{
    public async Task<BulkLoadResult> RunAsync(IReadOnlyList<(string Name, byte[] Body)> files, Recording recording, CancellationToken ct)
    {
        var problems = new List<string>();
        var read = new List<(string Name, byte[] Body, DisclosurePackage Package)>();
        foreach (var (name, body) in files)
        {
            if (body.Length > DisclosureIngestion.MaxPackageBytes) { problems.Add($"{name}: $: larger than {DisclosureIngestion.MaxPackageBytes} bytes"); continue; }
            if (PackageText.Check(body) is { Count: > 0 } textErrors) { problems.AddRange(textErrors.Select(e => $"{name}: {e.Path}: {e.Message}")); continue; }
            try
            {
                var package = JsonSerializer.Deserialize<DisclosurePackage>(body, DisclosureIngestion.PackageJson);
                if (package is null) problems.Add($"{name}: $: the package is empty");
                else read.Add((name, body, package));
            }
            catch (JsonException e)
            {
                problems.Add($"{name}: {e.Path ?? "$"}: malformed JSON: {e.Message.Split(" Path:")[0]}");
            }
        }
        if (problems.Count > 0) return Refused(files.Count, problems);

        // Publication order, so that a restatement finds the document it restates, as it would have in the ledger.
        // (Dates are yyyy-MM-dd, so they order as text; a package without one fails validation below.)
        read = read.OrderBy(r => r.Package.Document?.PublishedOn ?? "~", StringComparer.Ordinal).ThenBy(r => r.Package.Document?.Id, StringComparer.Ordinal).ToList();
        recording = recording.At(clock.GetUtcNow());
        var plans = new List<(string Name, byte[] Body, string Hash, PackagePlan Plan)>();
        var planned = new HashSet<string>(StringComparer.Ordinal);
        await using (var session = store.QuerySession())
        {
            // What the ledger holds that any package refers to, read once (not a read per package); each package then sees
            // it and the packages before it, kept up as they are planned (not merged anew per package: a market is 50,000).
            var ledger = await DisclosureIngestion.ContextFor(session, read.Select(r => r.Package).ToList(), ct);
            var entities = new HashSet<string>(ledger.Entities, StringComparer.Ordinal);
            var documents = new Dictionary<string, DateOnly?>(ledger.Documents, StringComparer.Ordinal);
            var policyChanges = new HashSet<string>(ledger.PolicyChanges, StringComparer.Ordinal);
            var calendars = new Dictionary<string, FiscalCalendar>(ledger.Calendars ?? new Dictionary<string, FiscalCalendar>(), StringComparer.Ordinal);
            var context = new LedgerContext(entities, documents, policyChanges, calendars);
            foreach (var (name, body, package) in read)
            {
                var hash = Hash(body);
                var (plan, errors) = new PackageReader(catalog).Read(package, context, recording with { Reason = ReasonFor(name) }, hash);
                if (plan is null)
                {
                    problems.AddRange(errors.Select(e => $"{name}: {e.Path}: {e.Message}"));
                    continue;
                }
                if (!planned.Add(plan.DocumentId)) problems.Add($"{name}: $.document.id: '{plan.DocumentId}' is in the load twice");
                plans.Add((name, body, hash, plan));
                documents[plan.DocumentId] = plan.PublishedOn;
                foreach (var e in plan.Events.Select(p => p.Event))
                {
                    if (e is EntityRegistered r)
                    {
                        entities.Add(r.Entity);
                        if (FiscalCalendar.TryParse(r.FiscalYearEnd, out var calendar)) calendars[r.Entity] = calendar;
                    }
                    if (e is AccountingPolicyChangeAdopted a) policyChanges.Add(a.PolicyChange);
                }
            }
        }
        if (problems.Count > 0) return Refused(files.Count, problems);
        // The packages' object graphs are no longer needed (the plans say all of it): a market's are gigabytes.
        read.Clear();
        read.TrimExcess();

        // Bulk insert only creates streams: one that exists already must be extended through the normal path.
        var streams = plans.SelectMany(p => p.Plan.Events.Select(e => (e.Stream, e.Event, Reason: ReasonFor(p.Name))))
            .GroupBy(e => e.Stream, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Events: g.Select(e => e.Event).ToArray(), Reasons: g.Select(e => e.Reason).ToArray())).ToList();
        var existing = await ExistingStreamsAsync(streams.Select(s => s.Key).ToArray(), ct);
        if (existing.Count > 0)
            return Refused(files.Count, [.. existing.Take(20).Select(s => $"the ledger already holds stream '{s}': load the documents that extend it with the normal path (load)"),
                .. existing.Count > 20 ? [$"… and {existing.Count - 20} more"] : Array.Empty<string>()]);

        // COPY fires the sealing triggers like any insert: they must exist before the first row is written.
        await Audit.AuditChainSchema.EnsureAsync(store, ct);
        var watch = Stopwatch.StartNew();
        var actions = streams.Select(s =>
        {
            var action = StreamAction.Start(((DocumentStore)store).Events, s.Key, s.Events);
            // The same metadata the normal path gives every event (Marten's columns, beside the payload's Recording).
            for (var i = 0; i < action.Events.Count; i++)
            {
                var e = action.Events[i];
                e.UserName = recording.RecordedBy;
                e.CorrelationId = recording.CorrelationId;
                e.SetHeader("reason", s.Reasons[i]);
            }
            return action;
        }).ToList();
        // A journal first, so that a crash at any point leaves what the next start completes or undoes, never half a
        // load: the package records marked pending, then the views marked for rebuild (from here on they would be stale:
        // reads answer 503 until the rebuild below), then the events (Marten's bulk insert writes them in one
        // transaction: all or none), then the pending marks cleared. BulkLoadJournal does the rest after a crash.
        var load = Guid.NewGuid().ToString("N");
        await store.BulkInsertAsync(plans.Select(p =>
        {
            var package = PackageContent.Of(p.Plan).ToLoadedPackage(p.Plan.DocumentId, p.Hash);
            package.PendingBulkLoad = load;
            return package;
        }).ToList(), batchSize: 1_000, cancellation: ct);
        // The bodies beside their (pending) records; a load undone by the journal takes its bodies with it.
        await PackageBodies.WriteAsync(store, plans.Select(p => (p.Plan.DocumentId, p.Hash, p.Body)), ct);
        await ProjectionRebuild.MarkStartedAsync(store, ct);
        await using (var writer = WithoutCommandTimeout(store))
            await writer.BulkInsertEventsAsync(actions, batchSize: 10_000, cancellation: ct);
        await BulkLoadJournal.CompleteAsync(store, load, plans.Count, ct);
        var written = watch.Elapsed.TotalSeconds;

        watch.Restart();
        await ProjectionRebuild.RunAsync(store, ct);
        return new BulkLoadResult(true, plans.Count, plans.Sum(p => p.Plan.Facts + p.Plan.Restatements), actions.Sum(a => (long)a.Events.Count),
            written, watch.Elapsed.TotalSeconds, []);
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

    private static string Hash(byte[] body) => Convert.ToHexString(SHA256.HashData(body)).ToLowerInvariant();

    private static BulkLoadResult Refused(int packages, IReadOnlyList<string> problems) => new(false, packages, 0, 0, 0, 0, problems);

    /// <summary>
    /// <c>dotnet run --project src/Ledger.Api -- bulk-load FILE|DIRECTORY...</c>: bulk-loads package files (a directory:
    /// its *.json) into the database the service would use, recorded under the operating-system user.
    /// </summary>
    public static async Task<int> RunCommandAsync(string[] args, IConfiguration configuration)
    {
        var files = args.Skip(1).Select(CommandPaths.Resolve)
            .SelectMany(a => Directory.Exists(a) ? Directory.GetFiles(a, "*.json").Order(StringComparer.Ordinal).ToArray() : new[] { a }).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: bulk-load FILE|DIRECTORY...");
            return 2;
        }
        var database = await DatabaseResolver.ResolveAsync(configuration, Console.WriteLine);
        try
        {
            await using var store = await MartenSetup.OpenStoreAsync(database.ConnectionString);
            // A load that died before is completed or undone first, so that running it again is the way to recover.
            foreach (var line in await BulkLoadJournal.RecoverAsync(store, CancellationToken.None)) Console.WriteLine(line);
            var bodies = new List<(string, byte[])>();
            foreach (var f in files) bodies.Add((Path.GetFileName(f), await File.ReadAllBytesAsync(f)));
            var result = await new BulkLoad(store, ConceptCatalog.Default, TimeProvider.System)
                .RunAsync(bodies, new Recording($"cli:{Environment.UserName}", "bulk load"), CancellationToken.None);
            foreach (var p in result.Problems) Console.WriteLine(p);
            Console.WriteLine(result.Loaded
                ? $"Loaded {result.Packages} packages ({result.Facts} facts, {result.Events} events): written in {result.WriteSeconds:F1} s, views rebuilt in {result.RebuildSeconds:F1} s."
                : $"Nothing was loaded: {result.Problems.Count} problem(s).");
            return result.Loaded ? 0 : 1;
        }
        finally
        {
            if (database.Embedded is not null) await database.Embedded.StopAsync();
        }
    }
}
