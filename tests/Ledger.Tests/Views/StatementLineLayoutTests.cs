using System.Net;
using Ledger.Api.Database;
using Ledger.Projections.Statements;
using Ledger.Tests.Audit;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

/// <summary>
/// A statement reads its lines by entity and period (<see cref="StatementLinesRead"/>): stored one after the other they
/// lie on a few of the table's pages. In figure order, as a rebuild works them out, each figure's periods together, a
/// statement's 100 lines lay on 24 pages at `medium` (docs/benchmarks.md, 2026-12-06). In a ledger of its own, whose
/// table no write has left holes in, the rows' physical order (<c>ctid</c>) is the order they were written in.
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
        var rebuild = await ledger.Client.PostAsync("/api/admin/rebuild", null);
        rebuild.StatusCode.Should().Be(HttpStatusCode.OK, await rebuild.Content.ReadAsStringAsync());

        var (runs, statements) = await RunsAsync(ledger);
        statements.Should().BeGreaterThan(40, "five entities' statements of several periods each");
        runs.Should().Be(statements, "the rebuild copies each statement's lines in together");
    }

    private static System.Text.Json.Nodes.JsonObject Fact((string Concept, string Form) c, int year, int value) =>
        MadeUp.Fact(c.Concept, c.Form == "FY" ? $"FY{year}" : $"{year}-12-31", $"{value:N0}");

    private static async Task PostAsync(FreshLedger ledger, string json)
    {
        var response = await ledger.Client.PostAsync("/api/disclosures", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>How many runs of rows of one entity and period the table holds in physical order, and how many entities and periods.</summary>
    private static async Task<(long Runs, long Statements)> RunsAsync(FreshLedger ledger)
    {
        var sql = "select count(*) filter (where starts_run) || ',' || count(distinct (entity, period)) from (" +
            "select entity, period, (entity, period) is distinct from (lag(entity) over w, lag(period) over w) as starts_run " +
            $"from {MartenSetup.Schema}.{StatementLineTable.Name} window w as (order by ctid)) t";
        var counts = (await AuditLedgers.ScalarAsync<string>(ledger.ConnectionString, sql)).Split(',');
        return (long.Parse(counts[0]), long.Parse(counts[1]));
    }
}
