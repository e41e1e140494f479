using System.Net;
using Ledger.Api.Imports;
using Ledger.Api.Ingestion;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Ingestion;

/// <summary>
/// The <c>load</c> and <c>import</c> verbs as the README shows them ("Loading packages", "Importing filings"): with
/// <c>--url</c>, each file posted to a running service with a writer key (refused, and the verb failing, without one); a
/// relative file path read as the caller's.
/// </summary>
public class LoadAndImportVerbTests
{
    private const string WriterKey = "verbs-writer-key-0001";

    [Fact]
    public async Task Load_and_import_with_url_post_their_files_to_a_running_service_and_fail_without_a_writer_key()
    {
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        await using var service = ServiceProcess.Start([], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Ledger"] = await ServiceProcess.FreshDatabaseAsync("verbs"),
            ["Ledger__LoadSeeds"] = "false",
            ["ASPNETCORE_URLS"] = url,
            ["Ledger__ApiKeys__0__Name"] = "verbs-writer",
            ["Ledger__ApiKeys__0__Key"] = WriterKey,
            ["Ledger__ApiKeys__0__Role"] = "writer",
        });
        await service.WaitUntilAnsweringAsync(url);
        var file = Path.Combine(Path.GetTempPath(), $"ledger-verbs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, MadeUp.Package("VERBS.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,234")).Json());
        // No database of its own: with --url the verbs touch only the service.
        var nowhere = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ledger:PostgresBin"] = "/nonexistent/postgresql/bin" }).Build();
        try
        {
            (await LoadCommand.RunAsync(["load", file, "--url", url], nowhere)).Should().Be(1, "without a writer key the service refuses the file");
            (await LoadCommand.RunAsync(["load", file, "--url", url, "--key", WriterKey], nowhere)).Should().Be(0);
            (await ImportCommand.RunAsync(["import", "sec-companyfacts", Repository.File("data", "sec", "CIK0001997711-logistic-properties-companyfacts.json"),
                "--url", url, "--key", WriterKey], nowhere)).Should().Be(0);

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Add("X-Api-Key", WriterKey);
            var figure = await http.GetAsync("/api/entities/VERBS.A/figures/Revenue/FY2023");
            figure.StatusCode.Should().Be(HttpStatusCode.OK);
            (await LedgerApp.JsonOf(figure)).GetProperty("current").GetProperty("value").GetString().Should().Be("1234");
            (await LedgerApp.JsonOf(await http.GetAsync("/api/entities/CIK0001997711/documents"))).GetArrayLength().Should().Be(3, "the file's three filings");
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task A_SIGTERM_stops_the_load_verb_between_or_within_files_with_exit_code_130_and_nothing_half_recorded()
    {
        // The verb's host takes SIGTERM for itself: before, the verb stopped its bus and went on loading every file.
        var database = await ServiceProcess.FreshDatabaseAsync("sigterm");
        var folder = Directory.CreateTempSubdirectory("ledger-sigterm-").FullName;
        const int count = 400;
        try
        {
            for (var i = 0; i < count; i++)
                await File.WriteAllTextAsync(Path.Combine(folder, $"p{i:D3}.json"),
                    MadeUp.Package($"SIG.{i:D3}", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2023", "100")).Json());
            var output = await SignalledAfterThreeAsync(["load", .. Enumerable.Range(0, count).Select(i => Path.Combine(folder, $"p{i:D3}.json"))],
                database, Recorded);
            var printed = Recorded(output);
            printed.Should().BeLessThan(count, "the signal stopped it");
            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            var documents = (long)(await new Npgsql.NpgsqlCommand(
                $"select count(*) from {Ledger.Api.Database.MartenSetup.Schema}.mt_streams where id like 'document:%'", connection).ExecuteScalarAsync())!;
            documents.Should().BeInRange(printed, printed + 1, "every file answered is recorded, and the one being written when the signal came is whole or absent");
            var events = (long)(await new Npgsql.NpgsqlCommand(
                $"select count(*) from {Ledger.Api.Database.MartenSetup.Schema}.mt_events where stream_id like 'document:%'", connection).ExecuteScalarAsync())!;
            (events % documents).Should().Be(0, "each document's package is recorded whole: the same number of events each");
        }
        finally { Directory.Delete(folder, recursive: true); }

        static int Recorded(string output) => output.Split('\n').Count(l => l.Contains(": Recorded recorded=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_SIGTERM_stops_the_import_verb_between_or_within_files_with_exit_code_130()
    {
        // The same report many times: the first is recorded, each later one answers that the ledger holds it, through the bus.
        var database = await ServiceProcess.FreshDatabaseAsync("sigimport");
        var folder = Directory.CreateTempSubdirectory("ledger-sigimport-").FullName;
        const int count = 400;
        try
        {
            var report = Ledger.Tests.Imports.XbrlImportTests.GenericReport().Json();
            for (var i = 0; i < count; i++) await File.WriteAllTextAsync(Path.Combine(folder, $"r{i:D3}.json"), report);
            var output = await SignalledAfterThreeAsync(
                ["import", "xbrl-json", .. Enumerable.Range(0, count).Select(i => Path.Combine(folder, $"r{i:D3}.json")),
                    "--document", "AR2023", "--published-on", "2024-03-28", "--kind", "annual-report"],
                database, Answered);
            Answered(output).Should().BeLessThan(count, "the signal stopped it");
        }
        finally { Directory.Delete(folder, recursive: true); }

        static int Answered(string output) => output.Split('\n').Count(l => l.Contains("documents recorded (", StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs a verb on <paramref name="database"/>, sends it SIGTERM once it has answered three files (by
    /// <paramref name="answered"/>), and checks that it stopped as a signal stops it: exit 130, saying so. Its output.
    /// </summary>
    private static async Task<string> SignalledAfterThreeAsync(string[] args, string database, Func<string, int> answered)
    {
        await using var verb = ServiceProcess.Start(args, new Dictionary<string, string?> { ["ConnectionStrings__Ledger"] = database });
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (answered(verb.Output) < 3 && !verb.HasExited && DateTime.UtcNow < deadline) await Task.Delay(50);
        answered(verb.Output).Should().BeGreaterThanOrEqualTo(3, verb.Output);

        var exit = await verb.StopAndWaitForExitCodeAsync();

        exit.Should().Be(Ledger.Api.Ingestion.IngestionHost.Interrupted, verb.Output);
        verb.Output.Should().Contain("Stopped by a signal after");
        return verb.Output;
    }

    [Fact]
    public async Task A_relative_path_is_read_as_the_callers_from_PWD_where_dotnet_run_starts_the_verb_elsewhere()
    {
        // The verb runs in the binaries' folder (as dotnet run --project starts it in the project's); the caller's folder is PWD.
        var caller = Directory.CreateTempSubdirectory("ledger-pwd-").FullName;
        await File.WriteAllTextAsync(Path.Combine(caller, "package.json"), MadeUp.Package("PWD.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "7")).Json());
        try
        {
            var (exitCode, output, error) = await ServiceProcess.RunAsync(["load", "package.json"], new Dictionary<string, string?>
            {
                ["ConnectionStrings__Ledger"] = await ServiceProcess.FreshDatabaseAsync("pwd"), ["PWD"] = caller,
            });
            exitCode.Should().Be(0, output + error);
            output.Should().Contain(Path.Combine(caller, "package.json"));
        }
        finally { Directory.Delete(caller, recursive: true); }
    }
}
