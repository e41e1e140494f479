using Ledger.Api.Database;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// The stored views as rows of text, read straight from PostgreSQL, for comparing two states byte for byte: a document
/// table as id and jsonb, a row table (stated values, transcription fixes) as each row's JSON without its position,
/// which only orders the rows (a rebuild numbers them afresh), in the order a figure's rows are folded.
/// </summary>
public static class StoredViews
{
    public static async Task<List<string>> RowsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var sql = table.StartsWith("mt_doc_", StringComparison.Ordinal)
            ? $"select id || ' ' || data::text from {MartenSetup.Schema}.{table} order by id"
            : $"select (to_jsonb(t) - 'position')::text from {MartenSetup.Schema}.{table} t order by figure collate \"C\", position";
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>Every view table (<see cref="ProjectionRebuild.ViewTables"/>) by name.</summary>
    public static async Task<Dictionary<string, List<string>>> DumpAsync(string connectionString)
    {
        var dump = new Dictionary<string, List<string>>();
        foreach (var table in ProjectionRebuild.ViewTables) dump[table] = await RowsAsync(connectionString, table);
        return dump;
    }
}
