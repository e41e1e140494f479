using System.Net;
using Ledger.Api.Database;
using Ledger.Api.Http;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ledger.Tests.Foundation;

/// <summary>/health is public but quiet: only status without a key; the database's details need a key of any role.</summary>
[Collection(LedgerCollection.Name)]
public class HealthTests(LedgerApp app)
{
    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key-of-this-service")]
    public async Task Without_a_valid_key_health_says_only_its_status(string? key)
    {
        using var client = app.ClientWith(key);
        var response = await client.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await LedgerApp.JsonOf(response);
        body.EnumerateObject().Select(p => p.Name).Should().Equal("status");
        body.GetProperty("status").GetString().Should().Be("ok");
    }

    [Fact]
    public async Task With_a_key_of_any_role_health_gives_the_details()
    {
        using var reader = app.ClientWith(LedgerApp.ReaderKey);
        var body = await LedgerApp.JsonOf(await reader.GetAsync("/health"));
        body.GetProperty("events").GetInt64().Should().BeGreaterThan(0);
        body.GetProperty("databaseServer").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task With_the_database_down_a_caller_without_a_key_learns_neither_the_error_nor_the_data_path()
    {
        const string dataPath = "/srv/secret-ledger-data/pg";
        await using var down = app.Variant(new Dictionary<string, string?>(), services =>
        {
            services.AddSingleton<HealthProbe>(new UnreachableDatabase());
            services.AddSingleton(new LedgerDatabase("Host=unused", "embedded", $"127.0.0.1:1/ledger ({dataPath})", null, "/srv/secret-ledger-data"));
        });
        using var anonymous = down.CreateClient();
        using var keyed = down.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.ReaderKey);

        var response = await anonymous.GetAsync("/health");
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var text = await response.Content.ReadAsStringAsync();
        text.Should().Be("""{"status":"degraded"}""");

        var detailed = await keyed.GetAsync("/health");
        detailed.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var details = await LedgerApp.JsonOf(detailed);
        details.GetProperty("database").GetString().Should().Be("unreachable");
        details.GetProperty("databaseServer").GetString().Should().Contain(dataPath, "an operator with a key is told where to look");
    }

    /// <summary>A real failed connection: nothing listens on the port.</summary>
    private sealed class UnreachableDatabase() : HealthProbe(null!)
    {
        public override async Task<(long Events, long Streams)> CountAsync(CancellationToken ct)
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={ServiceProcess.FreePort()};Username=ledger;Password=x;Timeout=3");
            await connection.OpenAsync(ct);
            throw new InvalidOperationException("unreachable: the connection above cannot open");
        }
    }
}
