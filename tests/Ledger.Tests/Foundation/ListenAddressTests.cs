using Ledger.Api.Http;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Foundation;

/// <summary>The service listens where ASPNETCORE_URLS or --urls say, and on 127.0.0.1:5080 only when neither is given.</summary>
public class ListenAddressTests
{
    [Fact]
    public async Task ASPNETCORE_URLS_is_where_the_service_listens()
    {
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        await using var service = ServiceProcess.Start([], await Environment(url, viaVariable: true));
        await service.WaitUntilAnsweringAsync(url);
        service.Output.Should().Contain($"Now listening on: {url}").And.NotContain(":5080");
    }

    [Fact]
    public async Task Urls_on_the_command_line_are_where_the_service_listens()
    {
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        await using var service = ServiceProcess.Start(["--urls", url], await Environment(url, viaVariable: false));
        await service.WaitUntilAnsweringAsync(url);
        service.Output.Should().Contain($"Now listening on: {url}").And.NotContain(":5080");
    }

    [Fact]
    public async Task Urls_on_the_command_line_win_over_ASPNETCORE_URLS()
    {
        var (given, overridden) = ($"http://127.0.0.1:{ServiceProcess.FreePort()}", $"http://127.0.0.1:{ServiceProcess.FreePort()}");
        var environment = await Environment(overridden, viaVariable: true);
        await using var service = ServiceProcess.Start(["--urls", given], environment);
        await service.WaitUntilAnsweringAsync(given);
        service.Output.Should().Contain($"Now listening on: {given}").And.NotContain(overridden);
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:6001", null, "http://127.0.0.1:6001")]
    [InlineData(null, "7001", "http://*:7001")]
    public void The_default_address_applies_only_when_no_address_is_configured(string? urls, string? httpPorts, string expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls, ["http_ports"] = httpPorts }).Build();
        ListenAddresses.Of(config).Should().Equal(expected);
    }

    [Fact]
    public void Kestrels_own_endpoints_are_where_it_listens_so_one_on_every_interface_is_not_loopback()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:6001", ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:5080",
        }).Build();
        ListenAddresses.Of(config).Should().Equal("http://0.0.0.0:5080");
        ListenAddresses.AllLoopback(ListenAddresses.Of(config)).Should().BeFalse("reads are not open without a key on every interface");
    }

    private static async Task<Dictionary<string, string?>> Environment(string url, bool viaVariable) => new()
    {
        ["ConnectionStrings__Ledger"] = await ServiceProcess.FreshDatabaseAsync("urls"),
        ["Ledger__LoadSeeds"] = "false",
        ["ASPNETCORE_URLS"] = viaVariable ? url : null,
        // Kestrel says where it listens at Information; the rest of the framework stays at warning.
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
    };
}
