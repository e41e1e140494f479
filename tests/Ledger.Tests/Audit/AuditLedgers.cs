using Ledger.Api.Audit;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Tests.Infrastructure;
using Marten;
using Npgsql;

namespace Ledger.Tests.Audit;

/// <summary>
/// Ledgers of their own for the tests that damage the log: a template database holding the four seed packages
/// (loaded through the service's ingestion path, so sealed by the triggers), copied afresh for every test, so that
/// no damage reaches the shared host's database.
/// </summary>
public sealed class AuditLedgers : IAsyncLifetime
{
    private TestDatabase _server = null!;
    private string _template = "";
    private readonly List<string> _created = [];

    public async Task InitializeAsync()
    {
        _server = await TestDatabase.SharedAsync();
        _template = await CreateAsync(null);
        var connectionString = ConnectionStringOf(_template);
        await using (var store = DocumentStore.For(o => MartenSetup.Configure(o, connectionString)))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var ingestion = new HandlerSteps(store, ConceptCatalog.Default, TimeProvider.System);
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "seeds"), "*.json").Order(StringComparer.Ordinal))
            {
                var result = await ingestion.IngestAsync(await File.ReadAllBytesAsync(file), new Recording("audit-tests", $"seed package {Path.GetFileName(file)}"), CancellationToken.None);
                if (result.Outcome != IngestionOutcome.Recorded) throw new InvalidOperationException($"{file}: {result.Outcome} {result.Message}");
            }
        }
        SeedEvents = await ScalarAsync<long>(connectionString, $"select count(*) from {MartenSetup.Schema}.mt_events");
        // A template may have no connections while it is copied.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>How many events the four seed packages give (counted, so that transcribing more of a seed moves no test).</summary>
    public long SeedEvents { get; private set; }

    /// <summary>A copy of the sealed seed ledger; its connection string.</summary>
    public async Task<string> CopyAsync() => ConnectionStringOf(await CreateAsync(_template));

    /// <summary>An empty database (the store's schema is created by whoever uses it).</summary>
    public async Task<string> EmptyAsync() => ConnectionStringOf(await CreateAsync(null));

    public string ConnectionStringOf(string database) =>
        new NpgsqlConnectionStringBuilder(_server.AdminConnectionString) { Database = database }.ConnectionString;

    private async Task<string> CreateAsync(string? template)
    {
        var name = $"ledger_audit_{Guid.NewGuid():N}"[..28];
        await using var admin = new NpgsqlConnection(_server.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"create database {name}{(template is null ? "" : $" template {template}")}", admin);
        await command.ExecuteNonQueryAsync();
        lock (_created) _created.Add(name);
        return name;
    }

    public static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server.AdminConnectionString);
        await admin.OpenAsync();
        foreach (var name in _created)
        {
            await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
