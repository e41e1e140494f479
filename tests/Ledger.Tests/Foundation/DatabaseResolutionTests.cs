using Ledger.Api.Database;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Foundation;

public class DatabaseResolutionTests
{
    [Fact]
    public async Task Without_a_connection_string_binaries_or_Docker_the_resolver_names_the_three_ways()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:PostgresBin"] = "/nonexistent/postgresql/bin",
        }).Build();

        var act = () => DatabaseResolver.ResolveAsync(config, _ => { });

        var error = await act.Should().ThrowAsync<DatabaseUnavailableException>();
        error.Which.Message.Should().Contain("ConnectionStrings__Ledger").And.Contain("apt-get install postgresql").And.Contain("docker compose up");
    }

    [Fact]
    public async Task The_service_then_exits_non_zero_with_that_paragraph_and_no_stack_trace()
    {
        var (exitCode, _, stderr) = await ServiceProcess.RunAsync([], new Dictionary<string, string?> { ["Ledger__PostgresBin"] = "/nonexistent/postgresql/bin" });

        exitCode.Should().Be(2);
        stderr.Trim().Should().Be(DatabaseResolver.NoDatabaseMessage);
        stderr.Should().NotContain("   at ");
    }
}
