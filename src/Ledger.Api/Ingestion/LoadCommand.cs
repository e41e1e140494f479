using Ledger.Api.Database;
using Ledger.Domain.Events;
using Wolverine;

namespace Ledger.Api.Ingestion;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- load FILE... [--url URL [--key KEY]]</c>: posts package files to a
/// running service (with a writer key: the LEDGER_API_KEY environment variable, or --key, which shows the key in
/// the process list and shell history), or with no --url
/// applies them straight to the database the service would use, recorded under the operating-system user. Ctrl+C or
/// SIGTERM stops it between files or in one (that file then recorded whole or not at all), with exit code 130.
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        var files = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var urlIndex = Array.IndexOf(args, "--url");
        var url = urlIndex >= 0 && urlIndex + 1 < args.Length ? args[urlIndex + 1] : null;
        if (url is not null) files.Remove(url);
        var keyIndex = Array.IndexOf(args, "--key");
        var key = keyIndex >= 0 && keyIndex + 1 < args.Length ? args[keyIndex + 1] : Environment.GetEnvironmentVariable("LEDGER_API_KEY");
        if (keyIndex >= 0 && key is not null) files.Remove(key);
        files = files.Select(CommandPaths.Resolve).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: load FILE... [--url http://127.0.0.1:5080 [--key KEY]]");
            return 2;
        }

        if (url is not null) return await FilesToService.PostAsync(url, key, "/api/disclosures", files);

        var failures = 0;
        var database = await DatabaseResolver.ResolveAsync(configuration, Console.WriteLine);
        try
        {
            // The same bus and handler as the service's POST, in a host of their own without HTTP.
            using var host = await IngestionHost.StartAsync(database.ConnectionString);
            await using var scope = host.Services.CreateAsyncScope();
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            var stop = host.StopRequested();
            var done = 0;
            foreach (var file in files)
            {
                IngestionResult result;
                try
                {
                    stop.ThrowIfCancellationRequested();
                    result = await bus.RecordAsync(await File.ReadAllBytesAsync(file, stop), new Recording(Environment.UserName, $"loaded from {Path.GetFileName(file)} by the load command"), stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return IngestionHost.Stopped(done, files.Count);
                }
                done++;
                Console.WriteLine($"{file}: {result.Outcome} recorded={result.Recorded} facts={result.Facts} restatements={result.Restatements} reconciliations={result.Reconciliations} {result.Message}");
                foreach (var e in result.Errors ?? []) Console.WriteLine($"  {e.Path}: {e.Message}");
                foreach (var d in result.Differences ?? []) Console.WriteLine($"  {d.Figure}: ledger {d.Ledger}, package {d.Package}");
                if (result.Outcome is IngestionOutcome.Invalid or IngestionOutcome.Conflict) failures++;
            }
            await host.StopAsync();
        }
        finally
        {
            if (database.Embedded is not null) await database.Embedded.StopAsync();
        }
        return failures == 0 ? 0 : 1;
    }
}
