using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Events;
using Wolverine;

namespace Ledger.Api.Imports;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- import sec-companyfacts|xbrl-json FILE... [--url URL [--key KEY]]</c>: posts
/// each file to a running service's import endpoint (with a writer key: LEDGER_API_KEY, or --key), or with no --url
/// imports it straight into the database the service would use, through the same handler, recorded under the
/// operating-system user.
/// </summary>
public static class ImportCommand
{
    public static readonly IReadOnlyList<string> Formats = ["sec-companyfacts", "xbrl-json"];

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        var format = args.Length > 1 ? args[1] : "";
        var rest = args.Skip(2).ToList();
        var url = Option(rest, "--url");
        var key = Option(rest, "--key") ?? Environment.GetEnvironmentVariable("LEDGER_API_KEY");
        var files = rest;
        if (!Formats.Contains(format) || files.Count == 0 || files.Any(f => f.StartsWith("--", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine($"usage: import {string.Join("|", Formats)} FILE... [--url http://127.0.0.1:5080 [--key KEY]]");
            return 2;
        }

        var failures = 0;
        if (url is not null)
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
            if (!string.IsNullOrEmpty(key)) http.DefaultRequestHeaders.Add(Security.ApiKeyAuthenticationHandler.Header, key);
            foreach (var file in files)
            {
                var response = await http.PostAsync($"/api/imports/{format}",
                    new ByteArrayContent(await File.ReadAllBytesAsync(file)) { Headers = { ContentType = new("application/json") } });
                Console.WriteLine($"{file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (!response.IsSuccessStatusCode) failures++;
            }
            return failures == 0 ? 0 : 1;
        }

        var database = await DatabaseResolver.ResolveAsync(configuration, Console.WriteLine);
        try
        {
            using var host = await LoadCommand.StartHostAsync(database.ConnectionString);
            await using var scope = host.Services.CreateAsyncScope();
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            foreach (var file in files)
            {
                var recording = new Recording(Environment.UserName, $"imported from {Path.GetFileName(file)} by the import command");
                var body = await File.ReadAllBytesAsync(file);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = format == "sec-companyfacts"
                    ? await bus.ImportCompanyFactsAsync(body, recording, CancellationToken.None)
                    : await bus.ImportXbrlReportAsync(body, recording, CancellationToken.None);
                Console.WriteLine(result.Invalid || result.Conflict is not null
                    ? $"{file}: nothing was recorded. {result.Conflict}"
                    : $"{file}: {result.Entity}: {result.Recorded} of {result.Documents} documents recorded ({result.Facts} facts), {result.AlreadyInLedger} already in the ledger, in {watch.Elapsed.TotalSeconds:F1} s" +
                      (result.FiscalYearEnd is { } fye ? $"; fiscal year ends {fye}" : ""));
                foreach (var e in result.Errors ?? []) Console.WriteLine($"  {e.Path}: {e.Message}");
                if (result.Invalid || result.Conflict is not null) failures++;
            }
            await host.StopAsync();
        }
        finally
        {
            if (database.Embedded is not null) await database.Embedded.StopAsync();
        }
        return failures == 0 ? 0 : 1;
    }

    private static string? Option(List<string> args, string name)
    {
        var i = args.IndexOf(name);
        if (i < 0 || i + 1 >= args.Count) return null;
        var value = args[i + 1];
        args.RemoveRange(i, 2);
        return value;
    }
}
