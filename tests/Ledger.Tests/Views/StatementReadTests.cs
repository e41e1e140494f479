using System.Text.Json;
using Ledger.Domain.Values;
using Ledger.Projections;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Views;

/// <summary>
/// A statement reads its stored lines (<see cref="StatementLinesRead"/>), worked out when the figures' rows change from
/// their statement columns (<see cref="FigureReads.ForStatementAsync"/>), not from who recorded each value nor its history
/// details: it must be the statement the full histories give, for every entity, period and date.
/// </summary>
[Collection(LedgerCollection.Name)]
public class StatementReadTests(LedgerApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // The imports and packages would otherwise stay for the test classes after this one.
    public Task DisposeAsync() => app.ResetAsync();

    [Fact]
    public async Task A_statement_from_its_stored_lines_is_the_statement_from_the_full_histories_for_every_period_and_date()
    {
        await VariedLedger.PostAsync(app);

        var (statements, lines, restated, withReasons, empty) = (0, 0, 0, 0, 0);
        await using var session = app.Store.QuerySession();
        foreach (var (entity, period, _) in await PeriodsAsync())
        {
            var p = Period.Parse(period);
            string[] ids = [p.Id, Period.Instant(p.End).Id];
            var histories = await FigureReads.OfEntityAsync(session, entity, ids, CancellationToken.None);
            // As of now, and on and the day before every date a stored line can start on: each publication date of a
            // document the figures' rows name, and the period's end (a document of unknown date is known from then).
            var starts = histories.SelectMany(h => h.Statements).Select(s => s.Document.PublishedOn).OfType<DateOnly>().Append(p.End).Distinct();
            foreach (var asOf in starts.SelectMany(d => new DateOnly?[] { d.AddDays(-1), d }).Prepend(null))
            {
                var full = StatementView.Build(histories, p, asOf);
                var stored = await PreparedReads.RunAsync(session, new StatementLinesRead(entity, ids, asOf), CancellationToken.None);
                JsonSerializer.Serialize(stored).Should().Be(JsonSerializer.Serialize(full), $"the statement of {entity} {period} as of {asOf?.ToString() ?? "now"}");
                statements++;
                lines += full.Count;
                restated += full.Count(l => l.Restated);
                withReasons += full.Count(l => l.Reasons.Count > 0);
                if (full.Count == 0) empty++;
            }
        }
        // 1,439 statements of 90,572 lines, 558 of them restated and 150 with reasons, 573 empty, when this was written.
        statements.Should().BeGreaterThan(1_400);
        lines.Should().BeGreaterThan(85_000);
        restated.Should().BeGreaterThan(500, "restated lines are compared, not only first disclosures");
        withReasons.Should().BeGreaterThan(120, "and restatements' reasons");
        empty.Should().BeGreaterThan(500, "and dates before anything of a period was known");

        // Stored narrow: the amount as originally reported and its document only where they are not the current ones.
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var storedForm = new NpgsqlCommand("select count(*), count(*) filter (where original_unit is null), " +
            "count(*) filter (where originally_reported_in is null), count(*) filter (where restated and original_unit is not null) from ledger.statement_lines", connection);
        await using var reader = await storedForm.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (rows, originalIsCurrent, reportedInCurrent, restatedWithOriginal) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        originalIsCurrent.Should().BeGreaterThan(rows / 2, "most lines were never restated, and store no second amount");
        reportedInCurrent.Should().BeGreaterThan(rows / 2);
        // 94 restated lines stored with their original amount when this was written (one more restated line's current
        // amount is its original one).
        restatedWithOriginal.Should().BeGreaterThan(80, "a restated line keeps the amount it was first reported at");
    }

    [Fact]
    public async Task The_rows_a_figures_lines_are_worked_out_from_are_in_the_order_the_ledger_learnt_them_whatever_order_they_are_read_in()
    {
        await VariedLedger.PostAsync(app);
        // The same rows stored again in the reverse of the order the ledger learnt them: PostgreSQL now returns an entity's
        // rows of a period, unsorted, last learnt first (the statement's read sorts each figure's rows itself).
        await using (var connection = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var reverse = new NpgsqlCommand(
                "create temp table learnt as select * from ledger.stated_values; truncate ledger.stated_values; " +
                "insert into ledger.stated_values select * from learnt order by position desc; analyze ledger.stated_values", connection);
            await reverse.ExecuteNonQueryAsync();
        }
        var reversedFigures = 0;
        await using var session = app.Store.QuerySession();
        foreach (var (entity, period, dates) in await PeriodsAsync())
        {
            var p = Period.Parse(period);
            string[] ids = [p.Id, Period.Instant(p.End).Id];
            reversedFigures += await FiguresReadLastLearntFirstAsync(entity, ids);
            // The full histories' read sorts by position in SQL: each figure's statements in the same order from both reads.
            // A figure whose every value a correction withdrew has a history (its corrections) but no rows to read.
            var full = (await FigureReads.OfEntityAsync(session, entity, ids, CancellationToken.None)).Where(f => f.Statements.Count > 0).ToList();
            var typed = await FigureReads.ForStatementAsync(session, full.Select(f => f.Id).ToList(), CancellationToken.None);
            typed.Select(Learnt).Should().Equal(full.Select(Learnt), $"the figures of {entity} {period}, each with its statements in the order learnt");
            foreach (var asOf in new DateOnly?[] { null, dates[dates.Length / 2] })
                JsonSerializer.Serialize(StatementView.Build(typed, p, asOf)).Should().Be(JsonSerializer.Serialize(StatementView.Build(full, p, asOf)),
                    $"the statement of {entity} {period} as of {asOf?.ToString() ?? "now"}");
        }
        reversedFigures.Should().BeGreaterThan(1_000, "figures of more than one row are read last learnt first, so the order is the read's own doing");

        static string Learnt(FigureHistory h) =>
            $"{h.Id}: {string.Join(", ", h.Statements.Select(s => $"{s.Kind} {s.Document.Id} #{s.Sequence} {s.Value.Value.Value}"))}";
    }

    /// <summary>How many figures of more than one row the statement's query, unsorted, returns last learnt first.</summary>
    private async Task<int> FiguresReadLastLearntFirstAsync(string entity, string[] periods)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select figure, position from ledger.stated_values where entity = $1 and period = any($2)", connection);
        command.Parameters.AddWithValue(entity);
        command.Parameters.AddWithValue(periods);
        var positions = new Dictionary<string, List<long>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!positions.TryGetValue(reader.GetString(0), out var list)) positions[reader.GetString(0)] = list = [];
            list.Add(reader.GetInt64(1));
        }
        return positions.Values.Count(l => l.Count > 1 && l.SequenceEqual(l.OrderDescending()));
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
