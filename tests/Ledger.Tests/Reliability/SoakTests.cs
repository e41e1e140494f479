using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Reliability;

/// <summary>
/// Writers posting packages while readers read statements, histories and figure lists, for a fixed time: every
/// package acknowledged with 2xx is there exactly once, no reader ever sees part of a package, and nothing answers
/// with a 5xx. CI runs it for 8 seconds; LEDGER_SOAK_SECONDS makes it longer (README, "Load held").
/// </summary>
[Collection(LedgerCollection.Name)]
public class SoakTests(LedgerApp app, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("LEDGER_SOAK_SECONDS"), out var s) ? s : 8);
    private const int Writers = 2;
    private const int Readers = 4;
    private const int FiguresPerPackage = 40;

    [Fact]
    public async Task Writers_and_readers_together_lose_nothing_see_no_half_package_and_get_no_5xx()
    {
        var run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var acknowledged = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        var latencies = new ConcurrentBag<double>();
        var posted = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource(Duration);

        async Task WriterAsync(int writer)
        {
            using var client = app.ClientWith(LedgerApp.WriterKey);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                // Each package is a new entity with 40 figures, so a reader can tell a whole package from part of one.
                var entity = $"SOAK{run}.W{writer}N{n}";
                var facts = Enumerable.Range(0, FiguresPerPackage).Select(i =>
                {
                    var fact = MadeUp.Fact("Revenue", "FY2023", $"{1000 + i:N0}");
                    fact["dims"] = new System.Text.Json.Nodes.JsonObject { ["segment"] = $"s{i:D2}" };
                    return fact;
                }).ToArray();
                posted.Add(entity);
                var response = await client.PostAsync("/api/disclosures",
                    new StringContent(MadeUp.Package(entity, "AR2023", "2024-03-01", facts).Json(), System.Text.Encoding.UTF8, "application/json"));
                if ((int)response.StatusCode >= 500) failures.Add($"POST {entity} → {(int)response.StatusCode}");
                else if (response.IsSuccessStatusCode) acknowledged.Add(entity);
            }
        }

        async Task ReaderAsync(int reader)
        {
            using var client = app.ClientWith(LedgerApp.ReaderKey);
            var random = new Random(reader);
            string[] seedReads =
            [
                "/api/entities/688083.SH/statements/FY2022",
                "/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022/history",
                "/api/entities/3896.HK/figures?period=FY2024&limit=200",
            ];
            while (!stop.IsCancellationRequested)
            {
                var writing = posted.ToArray();
                var url = writing.Length > 0 && random.Next(2) == 0
                    ? $"/api/entities/{writing[random.Next(writing.Length)]}/figures?limit=100"
                    : seedReads[random.Next(seedReads.Length)];
                var watch = Stopwatch.StartNew();
                var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if ((int)response.StatusCode >= 500) { failures.Add($"GET {url} → {(int)response.StatusCode}"); continue; }
                if (url.Contains("/SOAK", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.OK)
                {
                    var seen = JsonDocument.Parse(body).RootElement.GetProperty("figures").GetArrayLength();
                    if (seen != FiguresPerPackage) failures.Add($"GET {url} saw {seen} of the package's {FiguresPerPackage} figures");
                }
            }
        }

        var watchAll = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(WriterAsync).Concat(Enumerable.Range(0, Readers).Select(ReaderAsync)));
        var seconds = watchAll.Elapsed.TotalSeconds;

        failures.Should().BeEmpty();
        acknowledged.Should().NotBeEmpty();
        foreach (var entity in acknowledged)
        {
            var documents = await app.GetJsonAsync($"/api/entities/{entity}/figures?view=as-reported&limit=100");
            documents.GetProperty("figures").GetArrayLength().Should().Be(FiguresPerPackage, $"{entity} was acknowledged, so all of it is there, once");
        }
        var sorted = latencies.Order().ToArray();
        var p99 = sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(sorted.Length * 0.99) - 1)];
        output.WriteLine($"soak: {seconds:F0} s, {Writers} writers, {Readers} readers: {acknowledged.Count} packages ({acknowledged.Count * FiguresPerPackage / seconds:F0} facts/s), "
                          + $"{sorted.Length} reads ({sorted.Length / seconds:F0}/s), read p50 {sorted[sorted.Length / 2]:F1} ms, p99 {p99:F1} ms, 0 failures");
    }
}
