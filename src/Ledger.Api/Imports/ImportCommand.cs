using System.Text.Json;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Imports;
using Ledger.Domain.Ingestion;
using Marten;
using Wolverine;

namespace Ledger.Api.Imports;

/// <summary>
/// <c>dotnet run --project src/Ledger.Api -- import sec-companyfacts|xbrl-json FILE... [--url URL [--key KEY]]</c>: posts
/// each file to a running service's import endpoint (with a writer key: LEDGER_API_KEY, or --key), or with no --url
/// imports it straight into the database the service would use, through the same handler, recorded under the
/// operating-system user. An xBRL-JSON report that is not a ledger export needs what it does not say
/// (<see cref="XbrlReportOptions"/>): <c>--document SLUG --published-on yyyy-MM-dd</c>, and where needed <c>--kind</c>,
/// <c>--entity</c>, <c>--title</c>, <c>--language</c>, <c>--name</c>, <c>--standard</c>, <c>--currency</c>, <c>--fiscal-year-end</c>.
/// </summary>
public static class ImportCommand
{
    public static readonly IReadOnlyList<string> Formats = ["sec-companyfacts", "xbrl-json"];

    /// <summary>The xBRL-JSON options and the query parameters of POST /api/imports/xbrl-json they become.</summary>
    private static readonly (string Option, string Query)[] ReportOptions =
    [
        ("--entity", "entity"), ("--document", "document"), ("--published-on", "publishedOn"), ("--kind", "kind"), ("--title", "title"),
        ("--language", "language"), ("--name", "name"), ("--standard", "standard"), ("--currency", "currency"), ("--fiscal-year-end", "fiscalYearEnd"),
    ];

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        var format = args.Length > 1 ? args[1] : "";
        var rest = args.Skip(2).ToList();
        var url = Option(rest, "--url");
        var (options, query) = ReportOptionsOf(rest);
        if (query.Length > 0 && format != "xbrl-json")
        {
            Console.Error.WriteLine($"{string.Join(", ", ReportOptions.Select(o => o.Option))} are options of import xbrl-json");
            return 2;
        }
        var key = Option(rest, "--key") ?? Environment.GetEnvironmentVariable("LEDGER_API_KEY");
        var files = rest.Select(CommandPaths.Resolve).ToList();
        if (!Formats.Contains(format) || files.Count == 0 || files.Any(f => f.StartsWith("--", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine($"usage: import {string.Join("|", Formats)} FILE... [--url http://127.0.0.1:5080 [--key KEY]]");
            return 2;
        }

        if (files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            Console.Error.WriteLine($"{missing}: no such file");
            return 2;
        }

        if (url is not null) return await FilesToService.PostAsync(url, key, $"/api/imports/{format}{query}", files, TimeSpan.FromMinutes(10));

        var failures = 0;
        var database = await DatabaseResolver.ResolveAsync(configuration, Console.WriteLine);
        try
        {
            using var host = await IngestionHost.StartAsync(database.ConnectionString);
            await using var scope = host.Services.CreateAsyncScope();
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            var stop = host.StopRequested();
            var done = 0;
            foreach (var file in files)
            {
                // A signal stops the verb between files, or within one imported through the handler (that file then
                // recorded whole or not at all); a bulk load, which rebuilds every view, is let finish.
                if (stop.IsCancellationRequested) return IngestionHost.Stopped(done, files.Count);
                done++;
                var recording = new Recording(Environment.UserName, $"imported from {Path.GetFileName(file)} by the import command");
                var body = await File.ReadAllBytesAsync(file);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                if (format == "sec-companyfacts" && await BulkIfNewAsync(host.Services.GetRequiredService<IDocumentStore>(), file, body, recording) is { } bulk)
                {
                    if (!bulk) failures++;
                    Console.WriteLine($"  in {watch.Elapsed.TotalSeconds:F1} s; peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
                    continue;
                }
                ImportResult result;
                try
                {
                    result = format == "sec-companyfacts"
                        ? await bus.ImportCompanyFactsAsync(body, recording, stop)
                        : await bus.ImportXbrlReportAsync(body, recording, stop, options);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return IngestionHost.Stopped(done - 1, files.Count);
                }
                Console.WriteLine(result.Invalid || result.Conflict is not null
                    ? $"{file}: nothing was recorded. {result.Conflict}"
                    : $"{file}: {result.Entity}: {result.Recorded} of {result.Documents} documents recorded ({result.Facts} facts), {result.AlreadyInLedger} already in the ledger, in {watch.Elapsed.TotalSeconds:F1} s" +
                      (result.FiscalYearEnd is { } fye ? $"; fiscal year ends {fye}" : ""));
                foreach (var e in result.Errors ?? []) Console.WriteLine($"  {e.Path}: {e.Message}");
                // What an import costs, for the README's figures: the process's peak memory so far.
                Console.WriteLine($"  peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MB");
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

    /// <summary>
    /// A company the ledger does not hold yet goes in by the bulk path (COPY of every filing's events, then the views
    /// rebuilt): the same validation and events as the handler's, written without a statement per event. Null when the
    /// company is known (or the file is bad): the handler's path then records what is new, or says what is wrong.
    /// </summary>
    private static async Task<bool?> BulkIfNewAsync(IDocumentStore store, string file, byte[] body, Recording recording)
    {
        // Outside a handler: no session of Wolverine's to read in, so one of its own for this read alone.
        (SecCompany? Company, (string Entity, IReadOnlyList<PackageError> Errors, bool Known) Outcome) read;
        await using (var session = store.QuerySession())
            read = await ImportCompanyFactsHandler.ReadAsync(body, session, CancellationToken.None);
        var (company, outcome) = read;
        if (company is null || outcome.Known) return null;
        foreach (var line in await BulkLoadJournal.RecoverAsync(store, CancellationToken.None)) Console.WriteLine(line);
        var packages = company.Filings.Select(f => ($"{Path.GetFileName(file)}#{f.Accession}", JsonSerializer.SerializeToUtf8Bytes(f.Package, DisclosureIngestion.PackageJson))).ToList();
        var result = await new BulkLoad(store, ConceptCatalog.Default, TimeProvider.System).RunAsync(packages, recording, CancellationToken.None);
        foreach (var p in result.Problems) Console.WriteLine($"  {p}");
        Console.WriteLine(result.Loaded
            ? $"{file}: {company.Entity}: {result.Packages} of {company.Filings.Count} documents recorded by bulk load ({result.Facts} facts, {result.Events} events): written in {result.WriteSeconds:F1} s, views rebuilt in {result.RebuildSeconds:F1} s" +
              (company.Calendar.IsCalendarYear ? "" : $"; fiscal year ends {company.Calendar}")
            : $"{file}: nothing was recorded.");
        return result.Loaded;
    }

    private static string? Option(List<string> args, string name)
    {
        var i = args.IndexOf(name);
        if (i < 0 || i + 1 >= args.Count) return null;
        var value = args[i + 1];
        args.RemoveRange(i, 2);
        return value;
    }

    /// <summary>The xBRL-JSON options given (taken out of <paramref name="args"/>), and the same as a query string for --url.</summary>
    private static (XbrlReportOptions Options, string Query) ReportOptionsOf(List<string> args)
    {
        var given = ReportOptions.Select(o => (o.Query, Value: Option(args, o.Option))).Where(o => o.Value is not null).ToDictionary(o => o.Query, o => o.Value!);
        var options = new XbrlReportOptions(given.GetValueOrDefault("entity"), given.GetValueOrDefault("document"), given.GetValueOrDefault("publishedOn"),
            given.GetValueOrDefault("kind"), given.GetValueOrDefault("title"), given.GetValueOrDefault("language"), given.GetValueOrDefault("name"),
            given.GetValueOrDefault("standard"), given.GetValueOrDefault("currency"), given.GetValueOrDefault("fiscalYearEnd"));
        return (options, given.Count == 0 ? "" : "?" + string.Join("&", given.Select(o => $"{o.Key}={Uri.EscapeDataString(o.Value)}")));
    }
}
