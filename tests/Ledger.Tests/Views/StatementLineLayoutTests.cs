using System.Net;
using Ledger.Api.Database;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Views;

/// <summary>
/// A statement reads its lines by entity and period (<see cref="StatementLinesRead"/>): stored one after the other they
/// lie on a few of the table's pages. In figure order, as a rebuild works them out, each figure's periods together, a
/// statement's 100 lines lay on 24 pages at `medium` (docs/benchmarks.md, 2026-12-06). The rows' physical order
/// (<c>ctid</c>) is the order they were written in: after one write into the empty table of a ledger of its own, and
/// after a rebuild, which empties the table and copies into it in one transaction (PostgreSQL then only appends).
/// </summary>
[Collection(LedgerCollection.Name)]
public class StatementLineLayoutTests(LedgerApp app)
{
    [Fact]
    public async Task A_write_and_a_rebuild_store_each_statements_lines_together()
    {
        await using var ledger = await FreshLedger.StartAsync(app, "linelayout");
        // Concept by concept, the year's figure beside its comparative, as a report prints them.
        var facts = new[] { ("Revenue", "FY"), ("CostOfSales", "FY"), ("ProfitLoss", "FY"), ("Assets", ""), ("Equity", "") }
            .SelectMany((c, i) => new[] { Fact(c, 2023, 1_000 + i), Fact(c, 2022, 900 + i) })
            .ToArray();
        await PostAsync(ledger, MadeUp.Package("LAY.A", "AR2023", "2024-03-20", facts).Json());
        (await RunsAsync(ledger)).Should().Be((4, 4), "the write's periods (two years, each a duration and its last day), each in one run of rows");

        foreach (var package in RebuildTests.RandomPackages(seed: 20261206)) await PostAsync(ledger, package.Json());
        // A transcription corrected, whose withdrawn rows the rebuild's lines leave out as the live ones did.
        await PostAsync(ledger, MadeUp.Package("LAY.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("Assets", "2023-12-31", "5,000")).Json());
        var corrected = MadeUp.Package("LAY.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"), MadeUp.Fact("Assets", "2023-12-31", "5,000"));
        corrected["correction"] = new System.Text.Json.Nodes.JsonObject { ["reason"] = "misread the revenue" };
        var correction = await ledger.Client.PostAsync("/api/disclosures", new StringContent(corrected.Json(), System.Text.Encoding.UTF8, "application/json"));
        correction.IsSuccessStatusCode.Should().BeTrue(await correction.Content.ReadAsStringAsync());
        var rebuild = await ledger.Client.PostAsync("/api/admin/rebuild", null);
        rebuild.StatusCode.Should().Be(HttpStatusCode.OK, await rebuild.Content.ReadAsStringAsync());

        var (runs, statements) = await RunsAsync(ledger);
        statements.Should().BeGreaterThan(40, "five entities' statements of several periods each");
        runs.Should().Be(statements, "the rebuild copies each statement's lines in together");

        // The rebuild sets the rows aside in files by entity (StatedValuesByEntity: by the log's size, one file here) and
        // works out a file's lines at a time: split into more files, every line is still copied once, and each statement's
        // lines are together, as a file holds whole entities.
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        var entities = await ScalarAsync<long>(connection, $"select count(distinct entity) from {MartenSetup.Schema}.{StatementLineTable.Name}");
        entities.Should().BeGreaterThan(4, "files of one, two and seven hold several entities, one or none");
        var live = await LinesAsync(connection);
        live.Should().Contain(l => l.Contains("LAY.C|Revenue") && l.Contains("1001"), "the corrected revenue stands");
        foreach (var files in new[] { 1, 2, 7 })
        {
            await StatedValuesCopyRebuild.RunAsync(ledger.Store, MartenSetup.Schema, CancellationToken.None, files);
            (await LinesAsync(connection)).Should().Equal(live, $"set aside in {files} files, every line is copied once");
            (await RunsAsync(connection)).Should().Be((statements, statements), $"set aside in {files} files, each statement's lines are copied in together");
        }
    }

    private static System.Text.Json.Nodes.JsonObject Fact((string Concept, string Form) c, int year, int value) =>
        MadeUp.Fact(c.Concept, c.Form == "FY" ? $"FY{year}" : $"{year}-12-31", $"{value:N0}");

    private static async Task PostAsync(FreshLedger ledger, string json)
    {
        var response = await ledger.Client.PostAsync("/api/disclosures", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(long Runs, long Statements)> RunsAsync(FreshLedger ledger)
    {
        await using var connection = new NpgsqlConnection(ledger.ConnectionString);
        await connection.OpenAsync();
        return await RunsAsync(connection);
    }

    /// <summary>How many runs of rows of one entity and period the table holds in physical order, and how many entities and periods.</summary>
    private static async Task<(long Runs, long Statements)> RunsAsync(NpgsqlConnection connection)
    {
        var sql = "select count(*) filter (where starts_run) || ',' || count(distinct (entity, period)) from (" +
            "select entity, period, (entity, period) is distinct from (lag(entity) over w, lag(period) over w) as starts_run " +
            $"from {MartenSetup.Schema}.{StatementLineTable.Name} window w as (order by ctid)) t";
        var counts = (await ScalarAsync<string>(connection, sql)).Split(',');
        return (long.Parse(counts[0]), long.Parse(counts[1]));
    }

    /// <summary>Every stored line, whole, as text, in figure and date order.</summary>
    private static async Task<List<string>> LinesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"select l::text from {MartenSetup.Schema}.{StatementLineTable.Name} l order by figure, known_from", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return lines;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
