using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Ledger.Tests.Infrastructure;

/// <summary>
/// The built service started as its own process (what a user runs), for what an in-memory host cannot show:
/// which address it listens on, what it prints. Its output is collected; disposing kills it (this process only).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts Ledger.Api.dll (built beside the tests) with these arguments and environment variables.</summary>
    public static ServiceProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var process = new Process { StartInfo = StartInfo(args, environment) };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => { lock (service._output) service._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (service._output) service._output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Runs Ledger.Api.dll as a command (a verb, or a start that fails) to its end: its exit code and its two outputs, apart.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host's own settings (LedgerApp puts them in this process's environment) must not leak in.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Ledger__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in environment)
            if (v is null) start.Environment.Remove(k); else start.Environment[k] = v;
        return start;
    }

    /// <summary>Waits until <paramref name="baseUrl"/>/health answers (any status), or fails with the service's output.</summary>
    public async Task WaitUntilAnsweringAsync(string baseUrl, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            try
            {
                await http.GetAsync("/health");
                return;
            }
            catch (HttpRequestException) { /* not listening yet: poll again */ }
            catch (TaskCanceledException) { /* still starting: poll again */ }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The service did not answer on {baseUrl} within the time allowed:\n{Output}");
    }

    /// <summary>Stops it as Ctrl+C or systemd would (SIGTERM), so that it stops the PostgreSQL it started; killed if it hangs.</summary>
    public Task StopAsync() => SignalAndWaitAsync("-TERM");

    /// <summary>SIGTERM, then its exit code once it has ended (a process still running after 30 s is killed: -1).</summary>
    public async Task<int> StopAndWaitForExitCodeAsync()
    {
        await SignalAndWaitAsync("-TERM");
        return _process.HasExited ? _process.ExitCode : -1;
    }

    /// <summary>SIGINT, as Ctrl+C in a terminal sends it.</summary>
    public Task InterruptAsync() => SignalAndWaitAsync("-INT");

    private async Task SignalAndWaitAsync(string signal)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(patience.Token); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown code of the service runs.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A database of its own on the test server, so that the shared host's resets do not touch it.</summary>
    public static async Task<string> FreshDatabaseAsync(string prefix)
    {
        var server = await TestDatabase.SharedAsync();
        var name = $"ledger_{prefix}_{Guid.NewGuid():N}"[..30];
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }
}
