using Ledger.Projections.Statements;
using Ledger.Tests.Infrastructure;
using Npgsql;
using Weasel.Postgresql;

namespace Ledger.Tests.Views;

/// <summary>
/// A ledger written before 2026-12-06 has the statement lines' original columns <c>NOT NULL</c>. The schema check the
/// service runs at start (Weasel's) must drop that before the rebuild the views' new version asks for writes a line whose
/// original amount is its current one, stored as nulls: tried by hand without it, that rebuild failed at start.
/// </summary>
[Collection(LedgerCollection.Name)]
public class StatementLineTableTests(LedgerApp app)
{
    private const string Schema = "lines_upgrade_check";

    [Fact]
    public async Task The_table_of_an_earlier_build_is_migrated_to_hold_lines_whose_original_is_their_current_amount()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"drop schema if exists {Schema} cascade; create schema {Schema}");
        try
        {
            var earlier = StatementLineTable.Of(Schema);
            foreach (var column in NarrowColumns) earlier.ColumnFor(column)!.AllowNulls = false;
            await earlier.MigrateAsync(connection);
            (await NullableAsync(connection)).Should().Equal([false, false], "the table as the earlier build made it");

            (await StatementLineTable.Of(Schema).MigrateAsync(connection)).Should().BeTrue("the columns' NOT NULL is a difference the check acts on");
            (await NullableAsync(connection)).Should().Equal([true, true]);
        }
        finally
        {
            await ExecuteAsync(connection, $"drop schema if exists {Schema} cascade");
        }
    }

    private static readonly string[] NarrowColumns = ["original_unit", "originally_reported_in"];

    private static async Task<List<bool>> NullableAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("select is_nullable = 'YES' from information_schema.columns " +
            "where table_schema = $1 and table_name = $2 and column_name = any($3) order by column_name", connection)
        {
            Parameters = { new() { Value = Schema }, new() { Value = StatementLineTable.Name }, new() { Value = NarrowColumns } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var nullable = new List<bool>();
        while (await reader.ReadAsync()) nullable.Add(reader.GetBoolean(0));
        return nullable;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
