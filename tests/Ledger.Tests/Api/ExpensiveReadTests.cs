using System.Net;
using Ledger.Api.Http;
using Ledger.Tests.Infrastructure;
using Ledger.Projections.Checks;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Ledger.Api.Database.MartenSetup;

namespace Ledger.Tests.Api;

/// <summary>A caller may run only a few expensive reads (checks, lists, statements, exports) at once; others are not held up.</summary>
[Collection(LedgerCollection.Name)]
public class ExpensiveReadTests(LedgerApp app)
{
    [Fact]
    public async Task A_caller_with_its_expensive_reads_all_running_gets_429_while_cheap_reads_and_other_callers_go_on()
    {
        await using var host = app.Variant(new Dictionary<string, string?> { ["Ledger:Reads:MaxConcurrentPerCaller"] = "1" });
        using var reader = host.CreateClient();
        reader.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.ReaderKey);
        using var other = host.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.AdminKey);
        var slots = host.Services.GetRequiredService<ExpensiveReadSlots>();

        // The reader's one slot is taken, as by a slow request of its own still running.
        var running = slots.TryEnter("key:test-reader");
        running.Should().NotBeNull();

        var refused = await reader.GetAsync("/api/checks?entity=688083.SH");
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.Should().NotBeNull();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await reader.GetAsync("/api/entities/688083.SH/statements/FY2022")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await reader.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.OK, "one figure is cheap");
        (await other.GetAsync("/api/checks?entity=688083.SH")).StatusCode.Should().Be(HttpStatusCode.OK, "slots are per caller");

        running!.Dispose();
        (await reader.GetAsync("/api/checks?entity=688083.SH")).StatusCode.Should().Be(HttpStatusCode.OK);
        slots.TryEnter("key:test-reader").Should().NotBeNull("the finished request gave its slot back");
    }

    [Fact]
    public async Task An_expensive_read_past_its_deadline_has_its_query_cancelled_and_answers_a_503_problem_naming_the_setting_while_cheap_reads_have_none()
    {
        await using var host = app.Variant(new Dictionary<string, string?> { ["Ledger:Reads:TimeoutSeconds"] = "0.2" });
        using var reader = host.CreateClient();
        reader.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.ReaderKey);
        (await reader.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.OK, "the host is up");

        // The tables these reads need are held by another transaction, so each read surely waits past its deadline
        // (a deadline of a microsecond raced reads that finished before the timer fired).
        await using var holder = new NpgsqlConnection(app.Database.ConnectionString);
        await holder.OpenAsync();
        await using (var tx = await holder.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand(
                $"lock table {Schema}.{StatedValueTables.StatedValues}, {Schema}.{StatementLineTable.Name}, {Schema}.{CheckTables.State}, {Schema}.{CheckTables.Findings} in access exclusive mode", holder, tx))
                await hold.ExecuteNonQueryAsync();
            foreach (var url in new[] { "/api/checks", "/api/entities/688083.SH/statements/FY2022", "/api/entities/688083.SH/figures" })
            {
                var stopped = await reader.GetAsync(url);
                stopped.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, url);
                stopped.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                (await stopped.Content.ReadAsStringAsync()).Should().Contain("Ledger:Reads:TimeoutSeconds");
                await using var waiting = new NpgsqlCommand("select count(*) from pg_locks where not granted and database = (select oid from pg_database where datname = current_database()) " +
                    $"and relation = any(array['{Schema}.{StatedValueTables.StatedValues}'::regclass, '{Schema}.{StatementLineTable.Name}'::regclass, '{Schema}.{CheckTables.State}'::regclass, '{Schema}.{CheckTables.Findings}'::regclass])", holder, tx);
                ((long)(await waiting.ExecuteScalarAsync())!).Should().Be(0, $"the query of {url} was cancelled in the database, not left waiting");
            }
            await tx.RollbackAsync();
        }
        (await reader.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.OK, "one figure is cheap and has no deadline");
        host.Services.GetRequiredService<ExpensiveReadSlots>().TryEnter("key:test-reader").Should().NotBeNull("a stopped read gives its slot back");
    }
}
