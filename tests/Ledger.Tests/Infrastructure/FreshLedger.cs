using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// The service host on an empty database of its own (on the suite's server), for what needs a ledger without the seeds:
/// an import into an empty ledger. Disposing it stops the host and drops the database.
/// </summary>
public sealed class FreshLedger : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _host;
    private readonly string _admin;
    private readonly string _name;

    private FreshLedger(WebApplicationFactory<Program> host, string connectionString, string admin, string name)
    {
        _host = host;
        ConnectionString = connectionString;
        _admin = admin;
        _name = name;
        Client = host.CreateClient();
        Client.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.AdminKey);
    }

    public HttpClient Client { get; }
    public string ConnectionString { get; }

    /// <summary>The host's store, for what a test does below the HTTP surface.</summary>
    public Marten.IDocumentStore Store => _host.Services.GetRequiredService<Marten.IDocumentStore>();

    public static async Task<FreshLedger> StartAsync(LedgerApp app, string prefix)
    {
        var name = $"ledger_{prefix}_{Guid.NewGuid():N}"[..30];
        await using (var admin = new NpgsqlConnection(app.Database.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { Database = name }.ConnectionString;
        var ledger = new FreshLedger(app.Variant(new Dictionary<string, string?> { ["ConnectionStrings:Ledger"] = connectionString }),
            connectionString, app.Database.AdminConnectionString, name);
        // The host starts on the first request; it must be this database's (the shared one holds the seeds).
        var entities = await ledger.GetJsonAsync("/api/entities");
        if (entities.GetArrayLength() != 0) throw new InvalidOperationException($"The fresh ledger {name} is not empty: {entities}");
        return ledger;
    }

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {_name} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
