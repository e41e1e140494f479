using System.Net.Http.Json;
using System.Text.Json;
using Ledger.Api.Http;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
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
    public const string AdminKey = "test-admin-key";

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.SharedAsync();
        // Read by Program before the host is built, so it goes in the environment, not in test configuration.
        Environment.SetEnvironmentVariable("ConnectionStrings__Ledger", Database.ConnectionString);
        Environment.SetEnvironmentVariable("Ledger__AdminKey", AdminKey);
        // ResetAsync loads the seeds through the API; SeedLoaderTests covers the start-up loader.
        Environment.SetEnvironmentVariable("Ledger__LoadSeeds", "false");
        _factory = new WebApplicationFactory<Program>();
        Client = _factory.CreateClient();
        await ResetAsync();
    }

    /// <summary>Empties the ledger and loads the seed packages again, as on a first start.</summary>
    public async Task ResetAsync()
    {
        await Store.Advanced.Clean.DeleteAllEventDataAsync();
        await Store.Advanced.Clean.DeleteAllDocumentsAsync();
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
        // Only the ledger collection uses the database, so it goes with it (a throwaway cluster is removed).
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<LedgerApp>
{
    public const string Name = "ledger";
}
