using System.Net.Http.Json;
using System.Text.Json;
using Ledger.Api.Http;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// The real service host on a real PostgreSQL, with the seed packages loaded, shared by every test
/// of the <see cref="LedgerCollection"/> (they run one after another, so event counts are stable).
/// </summary>
public sealed class LedgerApp : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public HttpClient Client { get; private set; } = null!;
    public IDocumentStore Store => _factory!.Services.GetRequiredService<IDocumentStore>();
    public IServiceProvider Services => _factory!.Services;
    public TestDatabase Database { get; private set; } = null!;
    /// <summary>The keys the test host accepts, one per role, and one with a small rate limit.</summary>
    public const string AdminKey = "test-admin-key-0001";
    public const string WriterKey = "test-writer-key-0001";
    public const string ReaderKey = "test-reader-key-0001";
    public const string AuditorKey = "test-auditor-key-0001";
    public const string LimitedKey = "test-limited-key-0001";
    public const int LimitedPermitsPerMinute = 3;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.SharedAsync();
        // Read by Program before the host is built, so it goes in the environment, not in test configuration.
        Environment.SetEnvironmentVariable("ConnectionStrings__Ledger", Database.ConnectionString);
        (string Name, string Key, string Role, int? Permits)[] keys =
        [
            ("test-admin", AdminKey, "admin", null), ("test-writer", WriterKey, "writer", null),
            ("test-reader", ReaderKey, "reader", null), ("test-limited", LimitedKey, "reader", LimitedPermitsPerMinute),
            ("test-auditor", AuditorKey, "auditor", null),
        ];
        for (var i = 0; i < keys.Length; i++)
        {
            Environment.SetEnvironmentVariable($"Ledger__ApiKeys__{i}__Name", keys[i].Name);
            // The writer key is configured by its SHA-256 only, as a production config would hold it.
            Environment.SetEnvironmentVariable($"Ledger__ApiKeys__{i}__Key", keys[i].Role == "writer" ? null : keys[i].Key);
            Environment.SetEnvironmentVariable($"Ledger__ApiKeys__{i}__KeySha256", keys[i].Role == "writer" ? Ledger.Api.Security.ApiKeyRegistry.HexDigest(keys[i].Key) : null);
            Environment.SetEnvironmentVariable($"Ledger__ApiKeys__{i}__Role", keys[i].Role);
            Environment.SetEnvironmentVariable($"Ledger__ApiKeys__{i}__PermitsPerMinute", keys[i].Permits?.ToString());
        }
        // The suite makes thousands of requests a minute with the admin key; the limit itself is tested with LimitedKey.
        Environment.SetEnvironmentVariable("Ledger__RateLimit__PermitsPerMinute", "1000000");
        Environment.SetEnvironmentVariable("Ledger__AllowAnonymousReads", "false");
        // ResetAsync loads the seeds through the API; SeedLoaderTests covers the start-up loader.
        Environment.SetEnvironmentVariable("Ledger__LoadSeeds", "false");
        _factory = new WebApplicationFactory<Program>();
        Client = ClientWith(AdminKey);
        await ResetAsync();
    }

    /// <summary>A client that sends <paramref name="apiKey"/> (none when null) in X-Api-Key.</summary>
    public HttpClient ClientWith(string? apiKey)
    {
        var client = _factory!.CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>
    /// A second host on the same database with some settings changed and some services replaced: for what the
    /// shared host must not do (open reads, failing on purpose). The caller disposes it.
    /// </summary>
    public WebApplicationFactory<Program> Variant(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        _factory!.WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings) b.UseSetting(key, value);
            if (services is not null) b.ConfigureTestServices(services);
        });

    /// <summary>Empties the ledger and loads the seed packages again, as on a first start.</summary>
    public async Task ResetAsync()
    {
        await Store.Advanced.Clean.DeleteAllEventDataAsync();
        await Store.Advanced.Clean.DeleteAllDocumentsAsync();
        // The seals of the events just deleted go with them, so that the ledger starts a new chain as on a first start.
        await using (var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"truncate {Ledger.Api.Audit.AuditChainSchema.Seals}", connection);
            await command.ExecuteNonQueryAsync();
            // The relational views (stated values, transcription fixes, the checks) and the packages' bytes are tables of their own, not Marten documents.
            await using var views = new Npgsql.NpgsqlCommand(string.Join("; ",
                Ledger.Api.Database.ProjectionRebuild.ViewTables.Append(Ledger.Api.Ingestion.PackageBodies.Name)
                    .Select(t => $"truncate {Ledger.Api.Database.MartenSetup.Schema}.{t}")), connection);
            await views.ExecuteNonQueryAsync();
        }
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "seeds"), "*.json").Order(StringComparer.Ordinal))
        {
            var response = await PostPackageAsync(await File.ReadAllTextAsync(file));
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{file}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public Task<HttpResponseMessage> PostPackageAsync(string json) =>
        Client.PostAsync("/api/disclosures", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task<long> EventCountAsync() => (await Store.Advanced.FetchEventStoreStatistics()).EventCount;

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        // The database is not stopped here: tests outside the collection (service processes on databases of their own on
        // the same server) may still be running. TestDatabase stops it when the test process exits.
    }
}

[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<LedgerApp>
{
    public const string Name = "ledger";
}
