using Ledger.Projections;
using Ledger.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Tests.Views;

/// <summary>
/// The rebuild encodes its COPY rows itself (<see cref="BinaryCopyRows"/>): each kind of value it writes must be stored
/// as Npgsql stores the same .NET value as a parameter (the live path's insert), to the last digit, scale and microsecond.
/// </summary>
[Collection(LedgerCollection.Name)]
public class BinaryCopyRowsTests(LedgerApp app)
{
    private const string Columns = "id, t, i, b, bo, d, ts, n, j";

    private static readonly decimal?[] Numbers =
    [
        0m, 0.0m, 0.00m, 1m, 1.0m, 1.00m, -1.5m, 12345.6789m, 0.0001m, 0.00001m, 0.00000001m, 10000m, 99990000m, 100000000.000m,
        -0.5m, 1234567890123456789012345678.9m, decimal.MaxValue, decimal.MinValue, new decimal(1, 0, 0, false, 28),
        new decimal(1, 0, 0, true, 27), 3896.123m, -4369100000m, 1979042000m, 0.1m, 12.30m, null,
    ];

    [Fact]
    public async Task Every_kind_of_value_is_stored_as_npgsql_stores_it()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection,
            "create temp table by_npgsql (id int, t varchar, i int, b bigint, bo boolean, d date, ts timestamptz, n numeric, j json); " +
            "create temp table by_copy (like by_npgsql)");
        var rows = Rows().ToList();
        foreach (var r in rows)
        {
            await using var insert = new NpgsqlCommand($"insert into by_npgsql ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)", connection)
            {
                Parameters =
                {
                    new() { Value = r.Id }, new() { Value = (object?)r.Text ?? DBNull.Value }, new() { Value = (object?)r.Integer ?? DBNull.Value },
                    new() { Value = r.Big }, new() { Value = r.Flag }, new() { Value = (object?)r.Date ?? DBNull.Value },
                    new() { Value = r.At }, new() { Value = (object?)r.Number ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric },
                    new() { Value = (object?)r.Json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json },
                },
            };
            await insert.ExecuteNonQueryAsync();
        }
        await using (var copy = await BinaryCopyRows.BeginAsync(connection, $"copy by_copy ({Columns}) from stdin (format binary)", CancellationToken.None))
        {
            foreach (var r in rows)
            {
                copy.StartRow(9);
                copy.Integer(r.Id);
                copy.TextOrNull(r.Text);
                copy.IntegerOrNull(r.Integer);
                copy.Bigint(r.Big);
                copy.Boolean(r.Flag);
                copy.DateOrNull(r.Date);
                copy.Timestamp(r.At);
                copy.NumericOrNull(r.Number);
                copy.JsonOrNull(r.Json);
            }
            await copy.CompleteAsync();
        }

        var byNpgsql = await TextOfAsync(connection, "by_npgsql");
        var byCopy = await TextOfAsync(connection, "by_copy");
        byCopy.Should().HaveCount(rows.Count).And.Equal(byNpgsql);
        byCopy.Should().Contain(r => r.Contains("\"n\": 1.00,"), "a decimal's scale is kept")
            .And.Contain(r => r.Contains("\"d\": \"-infinity\"") && r.Contains("\"ts\": \"1990-05-17T08:30:00.000001+00:00\""),
                "the first date is -infinity, and 0.9 µs before 2000 is dropped toward 2000, as Npgsql writes them");
    }

    [Fact]
    public async Task A_copy_not_completed_stores_nothing()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "create temp table abandoned (t text)");
        await using (var copy = await BinaryCopyRows.BeginAsync(connection, "copy abandoned (t) from stdin (format binary)", CancellationToken.None))
        {
            copy.StartRow(1);
            copy.Text("never stored");
        }
        await using var count = new NpgsqlCommand("select count(*) from abandoned", connection);
        ((long)(await count.ExecuteScalarAsync())!).Should().Be(0);
    }

    [Fact]
    public async Task An_unpaired_surrogate_is_refused_as_npgsql_refuses_it()
    {
        // Each on a connection of its own: a value Npgsql cannot encode may leave its connection broken.
        await using (var byNpgsql = new NpgsqlConnection(app.Database.ConnectionString))
        {
            await byNpgsql.OpenAsync();
            await using var insert = new NpgsqlCommand("select $1::text", byNpgsql) { Parameters = { new() { Value = "half \uD800" } } };
            await FluentActions.Awaiting(() => insert.ExecuteScalarAsync()).Should().ThrowAsync<Exception>("Npgsql's parameter refuses it");
        }
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "create temp table surrogates (t text)");
        await using var copy = await BinaryCopyRows.BeginAsync(connection, "copy surrogates (t) from stdin (format binary)", CancellationToken.None);
        copy.StartRow(1);
        FluentActions.Invoking(() => copy.Text("half \uD800")).Should().Throw<System.Text.EncoderFallbackException>();
    }

    private sealed record Row(int Id, string? Text, int? Integer, long Big, bool Flag, DateOnly? Date, DateTimeOffset At, decimal? Number, string? Json);

    private static IEnumerable<Row> Rows()
    {
        string?[] texts = ["", "abc", "营业收入（人民币千元）", "emoji 📈 and a tab\t", new string('长', 70_000), null];
        DateOnly?[] dates = [new(2000, 1, 1), new(1999, 12, 31), new(1, 1, 1), new(9999, 12, 31), new(2024, 2, 29), null];
        DateTimeOffset[] instants =
        [
            new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567),
            new DateTimeOffset(1990, 5, 17, 8, 30, 0, TimeSpan.Zero).AddTicks(9), new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.MaxValue,
        ];
        int?[] integers = [0, 1, -1, int.MaxValue, int.MinValue, null];
        string?[] jsons = ["{\"nil\":\"not-applicable\"}", "{\"a\": [1, 2.50, \"x\"]}", null];
        for (var i = 0; i < Numbers.Length; i++)
            yield return new Row(i, texts[i % texts.Length], integers[i % integers.Length], i % 2 == 0 ? long.MaxValue - i : -i * 1_000_000_007L,
                i % 3 == 0, dates[i % dates.Length], instants[i % instants.Length], Numbers[i], jsons[i % jsons.Length]);
    }

    private static async Task<List<string>> TextOfAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"select to_jsonb(r)::text || '|' || coalesce(r.j::text, 'null') from {table} r order by id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
