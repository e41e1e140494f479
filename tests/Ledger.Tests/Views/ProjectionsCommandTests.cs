using Ledger.Api.Database;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

public class ProjectionsCommandTests
{
    [Theory]
    [InlineData("projections", "rebuild")]
    [InlineData("projections", "rebuild", "-p", "StatedValues")]
    [InlineData("Projections", "rebuild")]
    [InlineData("projections", "1")]
    [InlineData("projections", "list,rebuild")]
    [InlineData("projections")]
    public async Task JasperFx_projections_but_list_is_refused_before_any_database_and_points_to_the_rebuild_command(params string[] args)
    {
        // No database can be found: had the command looked for one, it would have said so instead.
        var (exitCode, stdout, stderr) = await ServiceProcess.RunAsync(args, new Dictionary<string, string?> { ["Ledger__PostgresBin"] = "/nonexistent/postgresql/bin" });

        exitCode.Should().Be(2);
        stderr.Should().StartWith(string.Join(' ', args) + ": only `projections list` runs here").And.Contain("-- rebuild").And.Contain("nothing was done");
        stderr.Should().NotContain(DatabaseResolver.NoDatabaseMessage);
        stdout.Should().BeEmpty();
    }
}
