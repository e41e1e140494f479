using System.Text.Json;
using Ledger.Api.Imports;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Events;
using Ledger.Domain.Ingestion;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Imports;

/// <summary>
/// An import is decided from what the ledger held when it was read and written in a transaction of its own, as a package
/// is: two imports of the same filings at once both decide to record them, and the one that commits second finds the
/// document's stream started and records nothing, answering the conflict (409, "import again").
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
}
