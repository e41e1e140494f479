using System.Text;
using Ledger.Api.Database;
using Ledger.Api.Ingestion;
using Ledger.Domain.Concepts;
using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Domain.Ingestion;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Ingestion;

/// <summary>
/// The ingestion handler's decision reads and writes nothing (README, "Layout": how a package is recorded): given the package and what
/// the ledger holds, it answers and returns the write, here with no database at all.
/// </summary>
public class PackageDecisionTests
{
    private static readonly IReadOnlyDictionary<string, FigureHistory> NoHistories = new Dictionary<string, FigureHistory>();
    private static readonly Recording Posted = new("decision-test", "decided");

    private static ReceivedPackage Received(System.Text.Json.Nodes.JsonObject package) =>
        ReceivedPackage.Read(Encoding.UTF8.GetBytes(package.Json()), Posted, TimeProvider.System);

    /// <summary>The package read against an empty ledger, or against the package loaded for its document.</summary>
    private static LedgerOnPackage Ledger(ReceivedPackage received, LoadedPackage? loaded = null)
    {
        var (plan, errors) = new PackageReader(ConceptCatalog.Default).Read(received.Package!, LedgerContext.Empty, received.Recording, received.Hash);
        return new LedgerOnPackage(loaded, plan, plan is null ? null : PackageContent.Of(plan), errors, NoHistories);
    }

    private static LoadedPackage LoadedFrom(ReceivedPackage received) =>
        Ledger(received).Content!.ToLoadedPackage(received.DocumentId!, received.Hash);

    [Fact]
    public void A_new_document_is_recorded_by_the_events_its_package_plans()
    {
        var received = Received(MadeUp.Package("DEC.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"), MadeUp.Fact("ProfitLoss", "FY2023", "100")));
        var ledger = Ledger(received);

        var (answer, write) = PackageDecision.Decide(received, ledger);

        answer.Outcome.Should().Be(IngestionOutcome.Recorded);
        answer.Facts.Should().Be(2);
        // The facts are read again from the package for the write: the same events, member by member, in the same order.
        write.Should().BeOfType<RecordPackage>().Which.Events.Should().BeEquivalentTo(ledger.Plan!.Events, o => o.WithStrictOrdering().RespectingRuntimeTypes());
        answer.Recorded.Should().Be(ledger.Plan.Events.Count()).And.Be(ledger.Plan.EventCount);
    }

    [Fact]
    public void The_same_bytes_or_the_same_statements_again_write_nothing()
    {
        var package = MadeUp.Package("DEC.B", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        var received = Received(package);
        var loaded = LoadedFrom(received);

        var (same, sameWrite) = PackageDecision.Decide(received, new LedgerOnPackage(loaded, null, null, [], NoHistories));
        same.Outcome.Should().Be(IngestionOutcome.AlreadyLoaded);
        sameWrite.Should().BeNull();

        var reformatted = ReceivedPackage.Read(Encoding.UTF8.GetBytes(package.ToJsonString(new() { WriteIndented = true })), Posted, TimeProvider.System);
        var (again, againWrite) = PackageDecision.Decide(reformatted, Ledger(reformatted, loaded));
        again.Outcome.Should().Be(IngestionOutcome.AlreadyLoaded);
        again.Message.Should().Contain("only its formatting differs");
        againWrite.Should().BeNull();
    }

    [Fact]
    public void A_different_package_for_a_loaded_document_is_a_conflict_naming_the_figure_unless_it_is_a_correction()
    {
        var loaded = LoadedFrom(Received(MadeUp.Package("DEC.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"))));
        var changed = MadeUp.Package("DEC.C", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"));
        var received = Received(changed);

        var (answer, write) = PackageDecision.Decide(received, Ledger(received, loaded));

        answer.Outcome.Should().Be(IngestionOutcome.Conflict);
        answer.Differences!.Select(d => (d.Figure, d.Ledger, d.Package)).Should().Equal(("DEC.C|Revenue|FY2023|consolidated", "1000 CNY (decimals 0)", "1001 CNY (decimals 0)"));
        write.Should().BeNull();

        changed["correction"] = new System.Text.Json.Nodes.JsonObject { ["reason"] = "1,001 misread as 1,000" };
        var correction = Received(changed);
        var (corrected, correctionWrite) = PackageDecision.Decide(correction, Ledger(correction, loaded));
        corrected.Outcome.Should().Be(IngestionOutcome.Corrected);
        var events = correctionWrite.Should().BeOfType<CorrectPackage>().Which.Events;
        events.OfType<DisclosureCorrected>().Should().ContainSingle().Which.Figure.Should().Be("DEC.C|Revenue|FY2023|consolidated");
        events.OfType<DocumentTranscriptionCorrected>().Should().ContainSingle().Which.Recording.Reason.Should().Be("1,001 misread as 1,000");
    }

    [Fact]
    public void Bytes_that_are_not_a_package_are_refused_with_the_place_and_nothing_to_write()
    {
        var received = ReceivedPackage.Read("{\"document\": "u8.ToArray(), Posted, TimeProvider.System);

        var (answer, write) = PackageDecision.Decide(received, new LedgerOnPackage(null, null, null, [], NoHistories));

        answer.Outcome.Should().Be(IngestionOutcome.Invalid);
        answer.Errors!.Single().Message.Should().StartWith("malformed JSON");
        write.Should().BeNull();
    }
}
