using Ledger.Api.Database;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

/// <summary>The stored views as rows of text (<see cref="ProjectionRebuild.RowsAsTextSql"/>), read straight from PostgreSQL, for comparing two states byte for byte.</summary>
public static class StoredViews
{
    public static async Task<List<string>> RowsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var sql = ProjectionRebuild.RowsAsTextSql(table);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>
    /// Every view table (<see cref="ProjectionRebuild.ViewTables"/>) by name, every entity's checks worked out first: the
    /// checks' tables hold what the reads so far worked out, and a rebuild leaves every entity's checks due.
    /// </summary>
    public static async Task<Dictionary<string, List<string>>> DumpAsync(string connectionString)
    {
        await WorkOutChecksAsync(connectionString);
        var dump = new Dictionary<string, List<string>>();
        foreach (var table in ProjectionRebuild.ViewTables) dump[table] = await RowsAsync(connectionString, table);
        return dump;
    }

    /// <summary>Works out the checks of every entity whose events changed since they were last worked out, as a read of them does.</summary>
    public static async Task WorkOutChecksAsync(string connectionString)
    {
        await using var store = Marten.DocumentStore.For(options => MartenSetup.Configure(options, connectionString));
        await using var session = store.QuerySession();
        await Ledger.Projections.Checks.CheckFindings.RefreshAsync(session, null, Ledger.Domain.Concepts.ConceptCatalog.Default, CancellationToken.None);
    }
}
