using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Ledger.Tests.Views;

/// <summary>
/// The figure tables' statistics kept fresh while writes fill a new ledger (<see cref="ReadModelStatistics"/>): without
/// them the planner reads a package's figures by a sequential scan of the whole table until autovacuum first comes round.
/// </summary>
public class ReadModelStatisticsTests
{
    /// <summary>A package of <paramref name="figures"/> figures (segments s0, s1, … of one revenue).</summary>
    private static byte[] LargePackage(string entity, int figures) => System.Text.Encoding.UTF8.GetBytes(MadeUp.Package(entity, "AR2023", "2024-03-01",
        Enumerable.Range(0, figures).Select(i => MadeUp.Dimensioned(MadeUp.Fact("Revenue", "FY2023", $"{i + 1}"), $"s{i}")).ToArray()).Json());

    [Fact]
    public async Task Tables_a_write_grew_past_autovacuums_rule_are_analyzed_once_and_a_writes_figure_read_then_uses_the_index()
    {
        var database = await ServiceProcess.FreshDatabaseAsync("stats");
        using var store = DocumentStore.For(o => MartenSetup.Configure(o, database));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        (await ReadModelStatistics.AnalyzeStaleAsync(store, CancellationToken.None)).Should().BeEmpty("nothing is written yet");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            // Autovacuum kept out of it, so that only what is tested analyzes the tables.
            foreach (var table in ReadModelStatistics.Tables)
                await new NpgsqlCommand($"alter table {MartenSetup.Schema}.{table} set (autovacuum_enabled = false)", connection).ExecuteNonQueryAsync();
        }

        (await new HandlerSteps(store, ConceptCatalog.Default, TimeProvider.System)
            .IngestAsync(LargePackage("STATS.A", 20_000), new Recording("stats-test", "a large package"), CancellationToken.None)).Outcome.Should().Be(IngestionOutcome.Recorded);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            // Never analyzed, 190 keys are guessed at a share of the whole table (0.5 % a key): at a few hundred thousand rows
            // (the first minute of a ledger filled through the service) a sequential scan of it for each write.
            (await RowsEstimatedAsync(connection)).Should().BeGreaterThan(10 * 190);
        }

        (await ReadModelStatistics.AnalyzeStaleAsync(store, CancellationToken.None)).Should().BeEquivalentTo(ReadModelStatistics.Tables);
        (await ReadModelStatistics.AnalyzeStaleAsync(store, CancellationToken.None)).Should().BeEmpty("analyzed: nothing has changed since");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            (await RowsEstimatedAsync(connection)).Should().BeLessThan(1_000, "with statistics, 190 keys are about 190 rows, which at scale the index reads");
        }
    }

    [Fact]
    public async Task The_host_that_writes_analyzes_them_in_the_background()
    {
        var database = await ServiceProcess.FreshDatabaseAsync("statshost");
        using var host = await IngestionHost.StartAsync(database);
        (await host.Services.GetRequiredService<IMessageBus>().RecordAsync(LargePackage("STATS.B", 1_200), new Recording("stats-test", "a large package"), CancellationToken.None))
            .Outcome.Should().Be(IngestionOutcome.Recorded);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow + ReadModelStatistics.Period * 10;
        long analyzed;
        do
        {
            await Task.Delay(ReadModelStatistics.Period / 4);
            analyzed = (long)(await new NpgsqlCommand(
                $"select count(*) from pg_stat_user_tables where schemaname = '{MartenSetup.Schema}' and relname = any(@t) and last_analyze is not null", connection)
            { Parameters = { new("t", ReadModelStatistics.Tables) } }.ExecuteScalarAsync())!;
        }
        while (analyzed < ReadModelStatistics.Tables.Length && DateTime.UtcNow < deadline);
        analyzed.Should().Be(ReadModelStatistics.Tables.Length, "the host's background service analyzed both within a few of its periods");
        await host.StopAsync();
    }

    /// <summary>The rows the planner expects a write's read of 190 figures (<c>figure = any($1)</c>) to find.</summary>
    private static async Task<long> RowsEstimatedAsync(NpgsqlConnection connection)
    {
        var plan = await PlanOfFigureReadAsync(connection);
        var rows = System.Text.RegularExpressions.Regex.Match(plan, @"rows=(\d+)");
        rows.Success.Should().BeTrue(plan);
        return long.Parse(rows.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> PlanOfFigureReadAsync(NpgsqlConnection connection)
    {
        var keys = Enumerable.Range(0, 190).Select(i => $"STATS.A|Revenue|FY2023|consolidated|segment=s{i}").ToArray();
        await using var command = new NpgsqlCommand(
            $"explain (format text) select * from {MartenSetup.Schema}.stated_values where figure = any(@keys)", connection) { Parameters = { new("keys", keys) } };
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }
}
