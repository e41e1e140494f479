using Ledger.Projections;
using Ledger.Projections.Figures;
using Ledger.Projections.Statements;
using Ledger.Tests.Infrastructure;
using Npgsql;
using Weasel.Postgresql;

namespace Ledger.Tests.Views;

/// <summary>
/// The read model's key columns (figure, entity, period, document) are in byte order, collation "C", whatever the
/// database's (<see cref="ByteOrderColumn"/>); the schema check at start finds nothing to change in them, and a table an
/// earlier build made in the database's collation takes "C" when a rebuild has emptied it.
/// </summary>
[Collection(LedgerCollection.Name)]
public class KeysInByteOrderTests(LedgerApp app)
{
    private const string Schema = "byte_order_check";

    [Fact]
    public async Task New_tables_have_their_keys_in_byte_order_and_the_schema_check_leaves_them_alone()
    {
        await using var connection = await OpenAsync();
        try
        {
            foreach (var table in Tables()) await table.MigrateAsync(connection);

            (await CollationsAsync(connection)).Should().Equal(Expected, "every key column is declared in byte order");
            foreach (var table in Tables())
                (await table.MigrateAsync(connection)).Should().BeFalse($"{table.Identifier} is as declared: the catalog's varchar is the declared column");
        }
        finally
        {
            await ExecuteAsync(connection, $"drop schema if exists {Schema} cascade");
        }
    }

    [Fact]
    public async Task A_table_of_an_earlier_build_takes_byte_order_once_a_rebuild_has_emptied_it()
    {
        await using var connection = await OpenAsync();
        try
        {
            foreach (var earlier in Tables())
            {
                // As an earlier build declared them: varchar in the database's collation.
                foreach (var column in earlier.Columns.OfType<ByteOrderColumn>()) column.Type = "varchar";
                await earlier.MigrateAsync(connection);
            }
            (await CollationsAsync(connection)).Should().HaveCount(Expected.Length).And.OnlyContain(c => c.Collation == "default");
            foreach (var table in Tables())
                (await table.MigrateAsync(connection)).Should().BeFalse("the schema check does not see a column's collation, and leaves it");

            foreach (var table in Tables()) await ExecuteAsync(connection, StatedValuesCopyRebuild.DropIndexesSql(Schema, table) + ByteOrderColumn.AlterSql(table));

            (await CollationsAsync(connection)).Should().Equal(Expected);
        }
        finally
        {
            await ExecuteAsync(connection, $"drop schema if exists {Schema} cascade");
        }
    }

    [Fact]
    public async Task A_read_prepared_before_a_rebuild_changed_the_keys_collation_is_prepared_again()
    {
        await using var connection = await OpenAsync();
        await using var unguarded = new NpgsqlConnection(app.Database.ConnectionString);
        await using var reads = new NpgsqlConnection(app.Database.ConnectionString);
        await unguarded.OpenAsync();
        await reads.OpenAsync();
        try
        {
            foreach (var earlier in Tables())
            {
                foreach (var column in earlier.Columns.OfType<ByteOrderColumn>()) column.Type = "varchar";
                await earlier.MigrateAsync(connection);
            }
            var read = new FigureHistoryRead("0268.HK|Revenue|FY2023|consolidated");
            foreach (var c in new[] { unguarded, reads })
                (await PreparedReads.RunAsync(c, Schema, read, CancellationToken.None)).Should().BeNull("the tables are empty");

            // As a rebuild of a ledger made before declares them, on another connection: the result columns of the
            // statements both connections prepared change collation under them.
            foreach (var table in Tables()) await ExecuteAsync(connection, ByteOrderColumn.AlterSql(table));

            var once = async () =>
            {
                await using var batch = PreparedReads.Batch(unguarded, read.Commands(Schema));
                await using var reader = await PreparedReads.ExecuteAsync(batch, CancellationToken.None);
                return await read.ReadAsync(reader, CancellationToken.None);
            };
            (await once.Should().ThrowAsync<PostgresException>("this is what a statement prepared before meets, once"))
                .Which.SqlState.Should().Be(PostgresErrorCodes.FeatureNotSupported);
            (await PreparedReads.RunAsync(reads, Schema, read, CancellationToken.None)).Should().BeNull("the read is prepared again and answers");
        }
        finally
        {
            await ExecuteAsync(connection, $"drop schema if exists {Schema} cascade");
        }
    }

    private static Weasel.Postgresql.Tables.Table[] Tables() =>
        [StatedValueTables.StatedValuesTable(Schema), StatedValueTables.TranscriptionCorrectionsTable(Schema), StatementLineTable.Of(Schema)];

    private static readonly (string Table, string Column, string Collation)[] Expected =
    [
        ("stated_values", "document_id", "C"), ("stated_values", "entity", "C"), ("stated_values", "figure", "C"), ("stated_values", "period", "C"),
        ("statement_lines", "entity", "C"), ("statement_lines", "figure", "C"), ("statement_lines", "period", "C"),
        ("transcription_corrections", "entity", "C"), ("transcription_corrections", "figure", "C"), ("transcription_corrections", "period", "C"),
    ];

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"drop schema if exists {Schema} cascade; create schema {Schema}");
        return connection;
    }

    /// <summary>The collation of every key column of the three tables (the ones <see cref="Expected"/> names).</summary>
    private static async Task<List<(string Table, string Column, string Collation)>> CollationsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "select c.relname::text, a.attname::text, coalesce(l.collname::text, '') from pg_attribute a join pg_class c on c.oid = a.attrelid " +
            "join pg_namespace n on n.oid = c.relnamespace left join pg_collation l on l.oid = a.attcollation " +
            "where n.nspname = $1 and c.relkind = 'r' and a.attnum > 0 and a.attname = any($2) order by 1, 2", connection)
        {
            Parameters = { new() { Value = Schema }, new() { Value = new[] { "figure", "entity", "period", "document_id" } } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var found = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            var (table, column, collation) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            // transcription_corrections' document_id is not a key of its indexes, and stays in the database's collation.
            if (table == "transcription_corrections" && column == "document_id") continue;
            found.Add((table, column, collation));
        }
        return found;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
