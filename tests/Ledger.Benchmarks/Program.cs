using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections;
using Marten;
using Npgsql;
using NpgsqlTypes;

// dotnet run -c Release --project tests/Ledger.Benchmarks -- --scale small|mini|medium|large [--out results.json]
var scaleName = ArgOf("--scale") ?? "small";
var outPath = ArgOf("--out") ?? Path.Combine(Path.GetTempPath(), $"ledger-bench-{scaleName}.json");
var scale = scaleName switch
{
    "small" => new Scale(Entities: 4, Years: 3, Lines: 25, Queries: 100),
    "mini" => new Scale(Entities: 40, Years: 5, Lines: 100, Queries: 300),          // ≈ 36k events: quick experiments
    "medium" => new Scale(Entities: 250, Years: 10, Lines: 200, Queries: 1000),   // ≈ 1M events
    "large" => new Scale(Entities: 2500, Years: 10, Lines: 200, Queries: 1000),   // ≈ 10M events
    _ => throw new ArgumentException($"--scale must be small, mini, medium or large, not '{scaleName}'"),
};

EmbeddedPostgres? embedded = null;
var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Ledger");
if (string.IsNullOrWhiteSpace(connectionString))
{
    var bin = EmbeddedPostgres.FindBinaries(null) ?? throw new DatabaseUnavailableException(DatabaseResolver.NoDatabaseMessage);
    embedded = await EmbeddedPostgres.StartAsync(bin, Path.Combine(Path.GetTempPath(), $"ledger-bench-{Guid.NewGuid():N}"[..24]), throwaway: true);
    connectionString = embedded.ConnectionString;
}

try
{
    var results = await Run(connectionString, scale);
    string Number(double v, string unit) => unit == "ms" ? v.ToString("N2", CultureInfo.InvariantCulture) : v.ToString("N0", CultureInfo.InvariantCulture);
    var table = results.Select(r => $"| {r.Measure,-50} | {Number(r.Value, r.Unit),12} {r.Unit,-8} | {Number(r.Floor, r.Unit),12} | {(r.Ratio is { } x ? x.ToString("P0", CultureInfo.InvariantCulture) : "—"),7} |");
    Console.WriteLine($"\nLedger benchmark, scale {scaleName} ({scale.Entities} entities × {scale.Years} years × {scale.Lines} lines), {Environment.ProcessorCount} cores");
    Console.WriteLine($"| {"measure",-50} | {"value",21} | {"floor",12} | {"ratio",7} |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var line in table) Console.WriteLine(line);
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(new { scale = scaleName, scale.Entities, scale.Years, scale.Lines, cores = Environment.ProcessorCount, results },
        new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"\nJSON: {outPath}");
    return 0;
}
finally
{
    if (embedded is not null) await embedded.StopAsync();
}

static async Task<List<Result>> Run(string connectionString, Scale scale)
{
    var results = new List<Result>();
    await using var store = DocumentStore.For(o => MartenSetup.Configure(o, connectionString));
    await store.Advanced.Clean.CompletelyRemoveAllAsync();
    await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    var packages = Universe.Generate(scale, seed: 20261123);
    var facts = packages.Sum(p => p.Facts);

    // The floor: a raw binary COPY of the same facts into a plain table with the same columns.
    await using (var conn = new NpgsqlConnection(connectionString))
    {
        await conn.OpenAsync();
        await new NpgsqlCommand("drop table if exists bench_facts; create table bench_facts (entity text, concept text, period text, scope text, dims text, value numeric, decimals int, unit text, document text, published_on date)", conn).ExecuteNonQueryAsync();
        var watch = Stopwatch.StartNew();
        await using (var copy = await conn.BeginBinaryImportAsync("copy bench_facts from stdin (format binary)"))
        {
            foreach (var p in packages)
                foreach (var f in p.Rows)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(f.Entity); await copy.WriteAsync(f.Concept); await copy.WriteAsync(f.Period); await copy.WriteAsync("consolidated");
                    await copy.WriteAsync(f.Dims); await copy.WriteAsync(f.Value, NpgsqlDbType.Numeric); await copy.WriteAsync(0); await copy.WriteAsync("CNY");
                    await copy.WriteAsync(p.DocumentId); await copy.WriteAsync(p.PublishedOn, NpgsqlDbType.Date);
                }
            await copy.CompleteAsync();
        }
        var copyRate = facts / watch.Elapsed.TotalSeconds;
        await new NpgsqlCommand("create index on bench_facts (entity, concept, period, dims); create index on bench_facts (entity, period); analyze bench_facts", conn).ExecuteNonQueryAsync();

        // 1. Ingestion through the service's own path (validation, idempotency, one transaction per package, inline views).
        var ingestion = new DisclosureIngestion(store, ConceptCatalog.Default, TimeProvider.System);
        watch.Restart();
        foreach (var p in packages)
        {
            var r = await ingestion.IngestAsync(p.Body, new Recording("benchmark", "synthetic universe"), CancellationToken.None);
            if (r.Outcome != IngestionOutcome.Recorded) throw new InvalidOperationException($"{p.DocumentId}: {r.Outcome} {string.Join("; ", (r.Errors ?? []).Select(e => e.Path + " " + e.Message))}");
        }
        var ingestRate = facts / watch.Elapsed.TotalSeconds;
        results.Add(new("ingest through the service path", ingestRate, "facts/s", copyRate, ingestRate / copyRate));
        Console.WriteLine($"ingested {facts:N0} facts at {ingestRate:N0} facts/s (raw COPY {copyRate:N0} rows/s); peak working set {Environment.WorkingSet / 1048576:N0} MB");
        results.Add(new("raw COPY of the same facts (floor)", copyRate, "rows/s", copyRate, 1));

        // 4. Rebuild of every view against a raw sequential read of the events table.
        var events = (await store.Advanced.FetchEventStoreStatistics()).EventCount;
        watch.Restart();
        long bytes = 0;
        await using (var reader = await conn.BeginRawBinaryCopyAsync($"copy (select data from {MartenSetup.Schema}.mt_events order by seq_id) to stdout (format binary)"))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await reader.ReadAsync(buffer, 0, buffer.Length)) > 0) bytes += n;
        }
        var readRate = events / watch.Elapsed.TotalSeconds;
        var live = await Dump(conn);
        watch.Restart();
        await ProjectionRebuild.RunAsync(store, CancellationToken.None);
        var rebuildRate = events / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"rebuilt {events:N0} events at {rebuildRate:N0} events/s (raw read {readRate:N0} events/s)");
        if (await Dump(conn) != live) throw new InvalidOperationException("the rebuilt views differ from the live ones");
        results.Add(new($"rebuild every view ({events:N0} events)", rebuildRate, "events/s", readRate, rebuildRate / readRate));
        results.Add(new("raw sequential read of mt_events (floor)", readRate, "events/s", readRate, 1));

        // 5. Query latency in-process, against hand-written SQL on the indexed plain table.
        var random = new Random(7);
        var sample = Enumerable.Range(0, scale.Queries).Select(_ => packages[random.Next(packages.Count)]).ToList();
        async Task<double[]> Time(Func<Package, Task> query)
        {
            var times = new double[sample.Count];
            for (var i = 0; i < sample.Count; i++) { var w = Stopwatch.StartNew(); await query(sample[i]); times[i] = w.Elapsed.TotalMilliseconds; }
            return times;
        }
        var figureSql = new NpgsqlCommand("select value from bench_facts where entity = $1 and concept = $2 and period = $3 and dims = $4 order by published_on desc limit 1", conn);
        var statementSql = new NpgsqlCommand("select distinct on (concept, dims) concept, dims, value from bench_facts where entity = $1 and period = $2 and published_on <= $3 order by concept, dims, published_on desc", conn);
        async Task SqlFigure(Package p) { figureSql.Parameters.Clear(); var f = p.Rows[0]; figureSql.Parameters.AddWithValue(f.Entity); figureSql.Parameters.AddWithValue(f.Concept); figureSql.Parameters.AddWithValue(f.Period); figureSql.Parameters.AddWithValue(f.Dims); await figureSql.ExecuteScalarAsync(); }
        async Task SqlStatement(Package p, DateOnly asOf) { statementSql.Parameters.Clear(); statementSql.Parameters.AddWithValue(p.Entity); statementSql.Parameters.AddWithValue($"FY{p.Year}"); statementSql.Parameters.AddWithValue(asOf); await using var r = await statementSql.ExecuteReaderAsync(); while (await r.ReadAsync()) { } }

        async Task<FigureHistory?> Figure(Package p) { await using var s = store.QuerySession(); return await s.LoadAsync<FigureHistory>(p.Rows[0].Key); }
        async Task Statement(Package p, DateOnly? asOf)
        {
            await using var s = store.QuerySession();
            var period = Period.FiscalYear(p.Year);
            var ids = new[] { period.Id, Period.Instant(period.End).Id };
            var figures = await s.Query<FigureHistory>().Where(f => f.Entity == p.Entity && ids.Contains(f.Period)).ToListAsync();
            if (StatementView.Build(figures, period, asOf).Count == 0) throw new InvalidOperationException("empty statement");
        }
        await Time(Figure); // warm-up
        var pairs = new (string Name, Func<Package, Task> Ledger, Func<Package, Task> Floor)[]
        {
            ("one figure, current", p => Figure(p), SqlFigure),
            ("one figure, history", async p => { var h = await Figure(p); _ = PointInTimeView.Of(h!, (DateOnly?)null)!.Timeline.Count; }, SqlFigure),
            ($"statement of {scale.Lines * 1} lines, current", p => Statement(p, null), p => SqlStatement(p, DateOnly.MaxValue)),
            ($"statement of {scale.Lines * 1} lines, asOf a past date", p => Statement(p, p.PublishedOn), p => SqlStatement(p, p.PublishedOn)),
        };
        foreach (var (name, ledger, floor) in pairs)
        {
            var l = await Time(ledger);
            var f = await Time(floor);
            results.Add(new($"p50 ms: {name}", Percentile(l, 50), "ms", Percentile(f, 50), Percentile(l, 50) / Percentile(f, 50)));
            results.Add(new($"p99 ms: {name}", Percentile(l, 99), "ms", Percentile(f, 99), Percentile(l, 99) / Percentile(f, 99)));
        }
    }
    return results;
}

static async Task<string> Dump(NpgsqlConnection conn)
{
    var sb = new System.Text.StringBuilder();
    foreach (var table in ProjectionRebuild.ViewTables)
    {
        await using var cmd = new NpgsqlCommand($"select md5(string_agg(md5(id || data::text), '' order by id)) from {MartenSetup.Schema}.{table}", conn);
        sb.Append(await cmd.ExecuteScalarAsync()).Append(';');
    }
    return sb.ToString();
}

static double Percentile(double[] values, int p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
}

string? ArgOf(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

record Scale(int Entities, int Years, int Lines, int Queries);
record Result(string Measure, double Value, string Unit, double Floor, double? Ratio);
record Row(string Entity, string Concept, string Period, string Dims, decimal Value)
{
    public string Key => $"{Entity}|{Concept}|{Period}|consolidated" + (Dims.Length > 0 ? $"|{Dims}" : "");
}
record Package(string Entity, int Year, string DocumentId, DateOnly PublishedOn, byte[] Body, List<Row> Rows, int Facts);

/// <summary>
/// A synthetic universe with a fixed seed: each entity's annual report states its year and the year before
/// for every line; the comparatives reaffirm the previous report, except a share that is restated with a reason.
/// </summary>
static class Universe
{
    public static List<Package> Generate(Scale scale, int seed, double restatedShare = 0.05)
    {
        var random = new Random(seed);
        var concepts = ConceptCatalog.Default.All
            .Where(c => c.DataType == DataType.Monetary && c.PeriodType == PeriodType.Duration && !c.NonGaap)
            .Select(c => c.Id).Order(StringComparer.Ordinal).Take(20).ToArray();
        var packages = new List<Package>();
        for (var e = 0; e < scale.Entities; e++)
        {
            var entity = $"B{e:0000}.XX";
            var values = new Dictionary<(int Line, int Year), long>();
            long ValueOf(int line, int year) => values.TryGetValue((line, year), out var v) ? v : values[(line, year)] = random.NextInt64(1_000_00, 9_999_999_99);
            for (var y = 0; y < scale.Years; y++)
            {
                var year = 2014 + y;
                var published = new DateOnly(year + 1, 3, 1 + random.Next(28));
                var facts = new JsonArray();
                var restatements = new JsonArray();
                var rows = new List<Row>();
                for (var line = 0; line < scale.Lines; line++)
                {
                    var concept = concepts[line % concepts.Length];
                    var dims = line < concepts.Length ? null : new JsonObject { ["line"] = $"l{line}" };
                    var dimsText = dims is null ? "" : $"line=l{line}";
                    var current = ValueOf(line, year) / 100m;
                    facts.Add(Fact(concept, $"FY{year}", current, dims));
                    rows.Add(new Row(entity, concept, $"FY{year}", dimsText, current));
                    if (y == 0) continue;
                    var prior = ValueOf(line, year - 1) / 100m;
                    if (random.NextDouble() < restatedShare)
                    {
                        var after = prior + random.Next(-10_000, 10_000) / 100m;
                        values[(line, year - 1)] = (long)(after * 100);
                        restatements.Add(new JsonObject
                        {
                            ["concept"] = concept, ["period"] = $"FY{year - 1}", ["unit"] = "CNY", ["dims"] = dims?.DeepClone(),
                            ["before"] = new JsonObject { ["value"] = prior.ToString(CultureInfo.InvariantCulture), ["decimals"] = 2 },
                            ["after"] = new JsonObject { ["value"] = after.ToString(CultureInfo.InvariantCulture), ["decimals"] = 2 },
                            ["previouslyReportedIn"] = $"{entity}/AR{year - 1}",
                            ["reasons"] = new JsonArray(new JsonObject { ["kind"] = random.Next(2) == 0 ? "error-correction" : "reclassification" }),
                        });
                    }
                    else facts.Add(Fact(concept, $"FY{year - 1}", prior, (JsonObject?)dims?.DeepClone()));
                }
                var package = new JsonObject
                {
                    ["document"] = new JsonObject { ["id"] = $"{entity}/AR{year}", ["entity"] = entity, ["kind"] = "annual-report", ["title"] = $"{entity} {year}", ["language"] = "en", ["publishedOn"] = published.ToString("yyyy-MM-dd") },
                    ["entities"] = new JsonArray(new JsonObject { ["id"] = entity, ["names"] = new JsonObject { ["en"] = entity }, ["standard"] = "IFRS", ["currency"] = "CNY" }),
                    ["citedDocuments"] = y == 0 ? new JsonArray() : new JsonArray(new JsonObject { ["id"] = $"{entity}/AR{year - 1}", ["kind"] = "annual-report", ["title"] = $"{year - 1}" }),
                    ["facts"] = facts,
                    ["restatements"] = restatements,
                };
                packages.Add(new Package(entity, year, $"{entity}/AR{year}", published, System.Text.Encoding.UTF8.GetBytes(package.ToJsonString()), rows, facts.Count + restatements.Count));
            }
        }
        return packages;
    }

    private static JsonObject Fact(string concept, string period, decimal value, JsonObject? dims) => new()
    {
        ["concept"] = concept, ["period"] = period, ["unit"] = "CNY", ["value"] = value.ToString(CultureInfo.InvariantCulture), ["decimals"] = 2, ["dims"] = dims,
    };
}
