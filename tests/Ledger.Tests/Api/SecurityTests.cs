using System.Net;
using System.Text.Json;
using Ledger.Api.Security;
using Ledger.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Api;

/// <summary>API keys and roles: reader reads, writer also loads packages, admin also rebuilds; nothing is open by accident.</summary>
[Collection(LedgerCollection.Name)]
public class SecurityTests(LedgerApp app)
{
    // The workbench's pages, assets and concept labels are public, and "/" redirects to them; the ledger data they show come from the API.
    private static readonly string[] PublicRoutes =
        ["", "health", "api/disclosures/schema", "openapi/{documentName}.json", "api/{**path}", "ui", "ui/assets/{**file}", "ui/data/concepts", "ui/{**page}"];

    [Fact]
    public void Every_endpoint_declares_its_policy_and_only_the_health_schema_and_openapi_routes_are_public()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        endpoints.Should().HaveCountGreaterThan(10);

        var undeclared = endpoints.Where(e => !e.Metadata.OfType<IAllowAnonymous>().Any()
                                              && !e.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy is Policies.Read or Policies.Verify or Policies.Write or Policies.Admin))
            .Select(e => e.RoutePattern.RawText);
        undeclared.Should().BeEmpty("every endpoint says which policy guards it");

        endpoints.Where(e => e.Metadata.OfType<IAllowAnonymous>().Any()).Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Should().BeSubsetOf(PublicRoutes, "public endpoints are chosen, never left open by accident");
    }

    [Theory]
    [InlineData("GET", "/api/entities")]
    [InlineData("GET", "/api/entities/688083.SH/figures/Revenue/FY2023")]
    [InlineData("GET", "/api/entities/688083.SH/export")]
    [InlineData("GET", "/api/checks")]
    [InlineData("POST", "/api/disclosures")]
    [InlineData("POST", "/api/admin/rebuild")]
    public async Task Without_a_key_every_protected_endpoint_answers_401_with_a_problem_document(string method, string url)
    {
        using var anonymous = app.ClientWith(null);
        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? new StringContent("{}") : null });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        response.Headers.WwwAuthenticate.ToString().Should().Contain("X-Api-Key");
        (await LedgerApp.JsonOf(response)).GetProperty("status").GetInt32().Should().Be(401);
    }

    [Fact]
    public async Task An_address_that_names_no_endpoint_is_a_404_problem_whoever_asks()
    {
        using var reader = app.ClientWith(LedgerApp.ReaderKey);
        var response = await reader.GetAsync("/api/no-such-thing");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Without_a_key_every_endpoint_that_declares_a_policy_answers_401()
    {
        var protectedEndpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.OfType<IAuthorizeData>().Any() && !e.Metadata.OfType<IAllowAnonymous>().Any())
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Url: Sample(e.RoutePattern.RawText!))))
            .ToList();
        protectedEndpoints.Should().HaveCountGreaterThanOrEqualTo(11, "nine reads, loading packages, rebuilding");
        using var anonymous = app.ClientWith(null);

        foreach (var (method, url) in protectedEndpoints)
        {
            var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? new StringContent("{}") : null });
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{method} {url}");
        }

        static string Sample(string route) => "/" + route.TrimStart('/')
            .Replace("{entity}", "688083.SH").Replace("{concept}", "Revenue").Replace("{period}", "FY2023")
            .Replace("{measure}", "AdjustedEbitda").Replace("{policyChange}", "CAS-INTERP-16");
    }

    [Fact]
    public async Task Unnamed_keys_are_named_by_position_never_by_anything_derived_from_the_key()
    {
        var keys = ApiKeyRegistry.FromSettings([new ApiKeySetting { Key = "plain-text-key-0001", Role = Roles.Reader }]);
        keys.Single().Name.Should().Be("key-0");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_address_that_exists_under_other_methods_is_a_405_naming_them()
    {
        var response = await app.Client.DeleteAsync("/api/entities");
        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().BeEquivalentTo("GET", "HEAD");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await app.Client.GetAsync("/api/disclosures")).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task An_unknown_key_is_401_and_names_no_key()
    {
        using var stranger = app.ClientWith("not-a-key-of-this-service");
        var response = await stranger.GetAsync("/api/entities");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("does not hold a key this service knows").And.NotContain("not-a-key-of-this-service");
    }

    [Fact]
    public async Task A_reader_reads_but_cannot_post_and_nothing_is_written()
    {
        using var reader = app.ClientWith(LedgerApp.ReaderKey);
        (await reader.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.OK);
        var before = await app.EventCountAsync();

        var response = await reader.PostAsync("/api/disclosures",
            new StringContent(MadeUp.Package("SEC.R", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1")).Json()));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = await LedgerApp.JsonOf(response);
        problem.GetProperty("requiredRole").GetString().Should().Be("writer");
        problem.GetProperty("detail").GetString().Should().Contain("test-reader").And.Contain("reader");
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_writer_loads_packages_but_cannot_rebuild()
    {
        using var writer = app.ClientWith(LedgerApp.WriterKey);
        var posted = await writer.PostAsync("/api/disclosures",
            new StringContent(MadeUp.Package("SEC.W", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json(), System.Text.Encoding.UTF8, "application/json"));
        posted.StatusCode.Should().Be(HttpStatusCode.Created, "a writer key configured only by its SHA-256 works");

        var rebuild = await writer.PostAsync("/api/admin/rebuild", null);
        rebuild.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await LedgerApp.JsonOf(rebuild)).GetProperty("requiredRole").GetString().Should().Be("admin");
    }

    [Fact]
    public async Task With_anonymous_reads_allowed_reads_need_no_key_but_writing_still_does()
    {
        await using var open = app.Variant(new Dictionary<string, string?> { ["Ledger:AllowAnonymousReads"] = "true" });
        using var anonymous = open.CreateClient();

        (await anonymous.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.PostAsync("/api/disclosures", new StringContent("{}"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var stranger = open.CreateClient();
        stranger.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key-of-this-service");
        (await stranger.GetAsync("/api/entities")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a key that is sent must be a known one");
    }

    [Fact]
    public void Keys_can_be_configured_in_plain_text_or_as_SHA256_and_a_wrong_entry_is_named()
    {
        var keys = ApiKeyRegistry.FromSettings(
        [
            new ApiKeySetting { Name = "a", Key = "plain-text-key-0001", Role = Roles.Reader },
            new ApiKeySetting { Name = "b", KeySha256 = ApiKeyRegistry.HexDigest("hashed-key-00000001"), Role = Roles.Admin },
        ]);
        var registry = new ApiKeyRegistry(keys, allowAnonymousReads: false, "test");
        registry.Find("plain-text-key-0001")!.Name.Should().Be("a");
        registry.Find("hashed-key-00000001")!.Role.Should().Be(Roles.Admin);
        registry.Find("hashed-key-00000002").Should().BeNull();

        var wrongRole = () => ApiKeyRegistry.FromSettings([new ApiKeySetting { Name = "c", Key = "plain-text-key-0001", Role = "owner" }]);
        wrongRole.Should().Throw<InvalidApiKeyConfigurationException>().WithMessage("*Ledger:ApiKeys:0:Role*");
        var badHash = () => ApiKeyRegistry.FromSettings([new ApiKeySetting { Name = "d", KeySha256 = "abc", Role = Roles.Reader }]);
        badHash.Should().Throw<InvalidApiKeyConfigurationException>().WithMessage("*KeySha256*64 hex*");
    }

    [Fact]
    public void The_embedded_default_generates_a_writer_key_once_keeps_its_hash_and_opens_reads()
    {
        var directory = Directory.CreateTempSubdirectory("ledger-keys-").FullName;
        try
        {
            var embedded = new Ledger.Api.Database.LedgerDatabase("Host=unused", "embedded", "test", null, directory);
            var logged = new List<string>();
            var terminal = new List<string>();
            var empty = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

            var first = SecuritySetup.Keys(empty, embedded, TimeProvider.System, logged.Add, terminal.Add);
            var key = terminal.Should().ContainSingle().Subject.Split('\n').Select(l => l.Trim())
                .Single(l => l.StartsWith("X-Api-Key: ", StringComparison.Ordinal))["X-Api-Key: ".Length..];
            first.Find(key)!.Role.Should().Be(Roles.Writer);
            first.AllowAnonymousReads.Should().BeTrue("the embedded default keeps the quick start open for reading on loopback");
            File.ReadAllText(Path.Combine(directory, GeneratedWriterKey.FileName)).Should().NotContain(key).And.Contain(ApiKeyRegistry.HexDigest(key));
            logged.Should().NotContain(l => l.Contains(key), "the log never holds the key, even on a terminal");

            var second = SecuritySetup.Keys(empty, embedded, TimeProvider.System, logged.Add, terminal.Add);
            terminal.Should().HaveCount(1, "the key is shown once, on the first start");
            second.Find(key)!.Name.Should().Be(GeneratedWriterKey.Name);

            var configured = SecuritySetup.Keys(empty, embedded with { Source = "configured", DataDirectory = null }, TimeProvider.System, logged.Add);
            configured.AllowAnonymousReads.Should().BeFalse("a configured database is a real deployment: reads need a key unless allowed");
            configured.Count.Should().Be(0);
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Fact]
    public void Without_a_terminal_the_generated_key_is_never_printed_and_waits_in_a_file_only_this_user_can_read()
    {
        var parent = Directory.CreateTempSubdirectory("ledger-keys-").FullName;
        var directory = Path.Combine(parent, "data");
        try
        {
            var embedded = new Ledger.Api.Database.LedgerDatabase("Host=unused", "embedded", "test", null, directory);
            var logged = new List<string>();

            var keys = SecuritySetup.Keys(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), embedded, TimeProvider.System, logged.Add, terminal: null);

            var keyFile = Path.Combine(directory, GeneratedWriterKey.PlainTextFileName);
            var key = File.ReadAllText(keyFile).Trim();
            keys.Find(key)!.Role.Should().Be(Roles.Writer);
            logged.Should().NotBeEmpty().And.NotContain(l => l.Contains(key), "redirected output ends in journald or a container log");
            logged.Should().Contain(l => l.Contains(keyFile), "the start-up log says where the key is");
            UnixModes.Of(keyFile).Should().Be("600");
            UnixModes.Of(Path.Combine(directory, GeneratedWriterKey.FileName)).Should().Be("600");
            UnixModes.Of(directory).Should().Be("700");
        }
        finally { Directory.Delete(parent, recursive: true); }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", null, true)]
    [InlineData("http://localhost:5080;http://[::1]:5080", null, true)]
    [InlineData("http://0.0.0.0:5080", null, false)]
    [InlineData("http://*:5080", null, false)]
    [InlineData("http://127.0.0.1:5080;http://192.168.1.20:5080", null, false)]
    [InlineData("http://0.0.0.0:5080", "true", true)]
    [InlineData("http://127.0.0.1:5080", "false", false)]
    public void On_the_embedded_default_reads_without_a_key_are_open_only_on_loopback_unless_configured(string urls, string? configured, bool open)
    {
        var directory = Directory.CreateTempSubdirectory("ledger-keys-").FullName;
        try
        {
            var embedded = new Ledger.Api.Database.LedgerDatabase("Host=unused", "embedded", "test", null, directory);
            var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = urls, ["Ledger:AllowAnonymousReads"] = configured,
            }).Build();
            var keys = SecuritySetup.Keys(config, embedded, TimeProvider.System, _ => { });
            keys.AllowAnonymousReads.Should().Be(open);
            if (!open && configured is null) keys.AnonymousReadsReason.Should().Contain("beyond loopback");
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Fact]
    public void The_embedded_default_answers_to_loopback_names_only_and_a_configured_deployment_to_what_it_configures()
    {
        var empty = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        AllowedHosts.From(empty, embedded: true).Names.Should().Equal("localhost", "127.0.0.1", "::1");
        AllowedHosts.From(empty, embedded: false).AnyHost.Should().BeTrue();
        var configured = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:AllowedHosts"] = "ledger.example.com;*.internal.example",
        }).Build();
        var hosts = AllowedHosts.From(configured, embedded: true);
        hosts.Allows(new HostString("ledger.example.com:443")).Should().BeTrue();
        hosts.Allows(new HostString("a.internal.example")).Should().BeTrue();
        hosts.Allows(new HostString("localhost:5080")).Should().BeFalse("a configured list replaces the default");
    }

    [Theory]
    [InlineData("attacker.example", false)]
    [InlineData("attacker.example:5080", false)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1:5080", true)]
    [InlineData("[::1]:5080", true)]
    public async Task A_request_whose_Host_is_not_an_allowed_name_is_a_400_problem_naming_the_header(string host, bool allowed)
    {
        await using var loopbackOnly = app.Variant(new Dictionary<string, string?> { ["Ledger:AllowedHosts"] = "localhost;127.0.0.1;[::1]" });
        using var client = loopbackOnly.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.ReaderKey);

        var response = await client.GetAsync($"http://{host}/api/entities");

        if (allowed) { response.StatusCode.Should().Be(HttpStatusCode.OK); return; }
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await LedgerApp.JsonOf(response);
        problem.GetProperty("errors")[0].GetProperty("path").GetString().Should().Be("Host");
        problem.GetRawText().Should().NotContain("attacker");
    }
}
