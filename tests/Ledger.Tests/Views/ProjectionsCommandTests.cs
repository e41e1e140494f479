using System.Diagnostics;
using Ledger.Api.Database;

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
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        // No database can be found: had the command looked for one, it would have said so instead.
        psi.Environment.Remove("ConnectionStrings__Ledger");
        psi.Environment["Ledger__PostgresBin"] = "/nonexistent/postgresql/bin";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(2);
        stderr.Should().StartWith(string.Join(' ', args) + ": only `projections list` runs here").And.Contain("-- rebuild").And.Contain("nothing was done");
        stderr.Should().NotContain(DatabaseResolver.NoDatabaseMessage);
        (await stdout).Should().BeEmpty();
    }
}
