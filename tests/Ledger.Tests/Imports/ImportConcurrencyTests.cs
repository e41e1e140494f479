using System.Text.Json;
using Ledger.Api.Imports;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Tests.Infrastructure;
using Ledger.Api.Database;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Ledger.Tests.Imports;

/// <summary>
/// An import is decided from what the ledger held when it was read and written in a transaction of its own, as a package
/// is: two imports of the same filings at once both decide to record them, and the one that commits second finds the
/// document's stream started and records nothing, answering the conflict (409, "import again"), through the bus as the
/// endpoint and the verb send imports.
/// </summary>
[Collection(LedgerCollection.Name)]
public class ImportConcurrencyTests(LedgerApp app)
{
    [Fact]
    public async Task Two_imports_of_the_same_filing_at_once_record_it_once_and_the_other_answers_a_conflict()
    {
        var filing = JsonSerializer.Deserialize<DisclosurePackage>(
            MadeUp.Package("IMPCONC.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json(), DisclosureIngestion.PackageJson)!;
        var recording = new Recording("import-test", "two imports at once").At(DateTimeOffset.UtcNow);
        var writes = new List<ImportWrite>();
        for (var i = 0; i < 2; i++)
        {
            LedgerOnImport ledger;
            await using (var session = app.Store.QuerySession()) ledger = await LedgerOnImport.ReadAsync(session, [filing], CancellationToken.None);
            var (answer, write) = ImportDecision.Decide("IMPCONC.A", [filing], null, ledger, ConceptCatalog.Default, recording);
            answer.Recorded.Should().Be(1, "neither has seen the other's write");
            writes.Add(write!);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = writes.Select(w => Task.Run(async () =>
        {
            await start.Task;
            try { await w.ExecuteAsync(app.Store, CancellationToken.None); return (ImportResult?)null; }
            catch (ConcurrentImportWrite conflict) { return conflict.Answer; }
        })).ToArray();
        start.SetResult();
        var outcomes = await Task.WhenAll(runs);

        outcomes.Count(o => o is null).Should().Be(1, "one of the two commits");
        var refused = outcomes.Single(o => o is not null)!;
        refused.Recorded.Should().Be(0);
        refused.RecordedDocuments.Should().BeEmpty();
        refused.Conflict.Should().Contain("nothing was recorded");
        await using var read = app.Store.QuerySession();
        (await read.Events.FetchStreamAsync(StreamKeys.Document("IMPCONC.A/AR2023")))
            .Count(e => e.Data is Ledger.Domain.Documents.DocumentRecorded).Should().Be(1, "the document is recorded once");
    }

    [Fact]
    public async Task An_import_whose_write_meets_another_at_commit_answers_the_conflict_through_the_bus_and_records_nothing()
    {
        var database = await ServiceProcess.FreshDatabaseAsync("impconflict");
        using var host = await IngestionHost.StartAsync(database);
        var bus = host.Services.GetRequiredService<IMessageBus>();
        var file = await File.ReadAllBytesAsync(Repository.File("data", "sec", "CIK0001997711-logistic-properties-companyfacts.json"));
        // Another write starts one of the file's documents' streams and holds it uncommitted: the import, which found the
        // ledger empty, decides to record every filing, and its write waits on that stream's row until the other commits.
        await using var other = new NpgsqlConnection(database);
        await other.OpenAsync();
        await using var held = await other.BeginTransactionAsync();
        await new NpgsqlCommand($"insert into {MartenSetup.Schema}.mt_streams (id, version) values ('{StreamKeys.Document("CIK0001997711/0001997711-25-000030")}', 1)", other, held)
            .ExecuteNonQueryAsync();

        var import = bus.ImportCompanyFactsAsync(file, new Recording("import-test", "meets another write"), CancellationToken.None);
        await using (var watch = new NpgsqlConnection(database))
        {
            await watch.OpenAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!import.IsCompleted && DateTime.UtcNow < deadline &&
                   (long)(await new NpgsqlCommand("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", watch).ExecuteScalarAsync())! == 0)
                await Task.Delay(50);
        }
        import.IsCompleted.Should().BeFalse("the import's write waits on the stream the other write holds");
        await held.CommitAsync();
        var answer = await import;

        answer.Conflict.Should().Contain("nothing was recorded", "the answer the endpoint turns into a 409, not an exception");
        (answer.Recorded, answer.Facts, answer.RecordedDocuments.Count).Should().Be((0, 0, 0));
        ((long)(await new NpgsqlCommand($"select count(*) from {MartenSetup.Schema}.mt_events", other).ExecuteScalarAsync())!)
            .Should().Be(0, "the import's transaction is rolled back whole");
        await host.StopAsync();
    }
}
