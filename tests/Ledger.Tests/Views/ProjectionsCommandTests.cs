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

    [Fact]
    public async Task JasperFx_projections_list_runs_and_lists_every_view_the_store_registers_with_its_lifecycle()
    {
        var database = await ServiceProcess.FreshDatabaseAsync("projlist");
        var (exitCode, stdout, stderr) = await ServiceProcess.RunAsync(["projections", "list"], new Dictionary<string, string?> { ["ConnectionStrings__Ledger"] = database });

        exitCode.Should().Be(0, stderr);
        // The table wraps long names at the console's width; the short ones stand whole.
        stdout.Should().Contain("StatedValues").And.Contain("EntityProfile").And.Contain("CheckFreshness").And.Contain("Inline");
        stdout.Should().NotContain("Async", "every view is inline (README, \"Views and when they are written\")");
    }
}
