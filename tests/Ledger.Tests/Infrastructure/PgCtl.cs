using System.Diagnostics;
using Ledger.Api.Database;

namespace Ledger.Tests.Infrastructure;

/// <summary>pg_ctl on an embedded cluster, as the postgres user when we are root (the server refuses to run as root).</summary>
public static class PgCtl
{
    public static async Task RunAsync(string bin, EmbeddedPostgres cluster, params string[] args)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(bin, "pg_ctl")) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asRoot) foreach (var a in new[] { "-u", "postgres", "--", Path.Combine(bin, "pg_ctl") }) start.ArgumentList.Add(a);
        start.ArgumentList.Add("-D");
        start.ArgumentList.Add(cluster.DataDirectory);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"pg_ctl {string.Join(' ', args)}: {output}");
    }
}
