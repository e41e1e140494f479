using System.Text.Json;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Views;

/// <summary>
/// A statement reads only the stated values' statement columns (<see cref="FigureReads.ForStatementAsync"/>), not who
/// recorded each value nor its history details: it must be the statement the full histories give, for every entity,
/// period and date.
/// </summary>
[Collection(LedgerCollection.Name)]
public class StatementReadTests(LedgerApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // The imports and packages would otherwise stay for the test classes after this one.
    public Task DisposeAsync() => app.ResetAsync();

    [Fact]
    public async Task A_statement_from_the_typed_columns_is_the_statement_from_the_full_histories_for_every_period_and_date()
    {
        await VariedLedger.PostAsync(app);

        var (statements, lines, restated, withReasons) = (0, 0, 0, 0);
        await using var session = app.Store.QuerySession();
        foreach (var (entity, period, dates) in await PeriodsAsync())
        {
            var p = Period.Parse(period);
            string[] ids = [p.Id, Period.Instant(p.End).Id];
            // As of now, and as of the first, a middle and the last date a document of the entity was published on.
            foreach (var asOf in new DateOnly?[] { null, dates[0], dates[dates.Length / 2], dates[^1] })
            {
                var full = StatementView.Build(await FigureReads.OfEntityAsync(session, entity, ids, CancellationToken.None), p, asOf);
                var typed = StatementView.Build(await FigureReads.ForStatementAsync(session, entity, ids, CancellationToken.None), p, asOf);
                JsonSerializer.Serialize(typed).Should().Be(JsonSerializer.Serialize(full), $"the statement of {entity} {period} as of {asOf?.ToString() ?? "now"}");
                statements++;
                lines += full.Count;
                restated += full.Count(l => l.Restated);
                withReasons += full.Count(l => l.Reasons.Count > 0);
            }
        }
        // 776 statements of 73,341 lines, 429 of them restated and 253 with reasons, when this was written.
        statements.Should().BeGreaterThan(700);
        lines.Should().BeGreaterThan(50_000);
        restated.Should().BeGreaterThan(300, "restated lines are compared, not only first disclosures");
        withReasons.Should().BeGreaterThan(200, "and restatements' reasons");
    }

    /// <summary>Every entity's periods the ledger holds figures of, with the dates the entity's documents were published on.</summary>
    private async Task<List<(string Entity, string Period, DateOnly[] Dates)>> PeriodsAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select entity, period, (select array_agg(distinct published_on order by published_on) from ledger.stated_values d where d.entity = v.entity and published_on is not null) " +
            "from (select distinct entity, period from ledger.stated_values) v order by 1, 2", connection);
        var periods = new List<(string, string, DateOnly[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) periods.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly[]>(2)));
        return periods;
    }
}
