using Ledger.Api.Database;
using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Tests.Audit;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Views;

/// <summary>
/// Marten knows an event's type by its class's name alone (<c>document_recorded</c>, <c>figure_disclosed</c>), not by
/// the .NET type it also stores: a ledger written by a build whose events were in other namespaces (every one was in
/// <c>Ledger.Domain.Events</c> until 2026-12-06, when the domain went into folders by feature) is read and rebuilt by
/// this one.
/// </summary>
public class EventTypeNamesTests(AuditLedgers ledgers) : IClassFixture<AuditLedgers>
{
    private const string Moved = @"^Ledger\.Domain\.(Figures|Documents|Entities|PolicyChanges|NonGaap)\.";

    [Fact]
    public void Every_record_of_the_domain_named_in_the_past_tense_is_an_event_registered_with_the_store()
    {
        // Events are records named for what happened (FigureDisclosed, EntityRegistered); each is registered up front.
        var pastTense = typeof(LedgerEvents).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.IsSealed && t.GetMethod("<Clone>$") is not null && t.Name.EndsWith("ed", StringComparison.Ordinal))
            .ToList();
        pastTense.Should().HaveCountGreaterThan(5);
        LedgerEvents.All.Should().BeEquivalentTo(pastTense, "MartenSetup registers LedgerEvents.All, and a new event must be among them");
    }

    [Fact]
    public async Task Events_stored_under_an_earlier_builds_namespaces_are_read_and_rebuilt_alike()
    {
        var ledger = await ledgers.CopyAsync();
        var before = await StoredViews.DumpAsync(ledger);
        (await AuditLedgers.ExecuteAsync(ledger,
                $"update {MartenSetup.Schema}.mt_events set mt_dotnet_type = regexp_replace(mt_dotnet_type, '{Moved}', 'Ledger.Domain.Events.') where mt_dotnet_type ~ '{Moved}'"))
            .Should().Be((int)ledgers.SeedEvents, "every event the seeds hold is of a type that moved");

        // A store of its own, as a process started on that ledger opens it (its schema checked first, as the service and
        // the commands do): it has met none of the event types yet.
        await using var store = await MartenSetup.OpenStoreAsync(ledger);
        await using (var session = store.QuerySession())
        {
            // seed 004: ZWSOFT's 2023 annual report
            var events = (await session.Events.FetchStreamAsync(StreamKeys.Document("688083.SH/AR2023"))).Select(e => e.Data).ToList();
            events[0].Should().BeOfType<DocumentRecorded>();
            events.OfType<FigureDisclosed>().Should().NotBeEmpty();
            events.OfType<FigureRestated>().Should().NotBeEmpty();
        }
        await ProjectionRebuild.RunAsync(store, CancellationToken.None);

        var after = await StoredViews.DumpAsync(ledger);
        foreach (var table in ProjectionRebuild.ViewTables) after[table].Should().Equal(before[table], $"{table} rebuilt from the events as stored before");
    }
}
