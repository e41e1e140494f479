using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Foundation;

[Collection(LedgerCollection.Name)]
public class HealthAndStoreTests(LedgerApp app)
{
    [Fact]
    public async Task Health_says_the_database_answers_how_many_events_it_holds_and_which_database_it_is()
    {
        // app.Client sends the admin key: the details are for callers with a key (HealthTests).
        var health = await app.GetJsonAsync("/health");
        health.GetProperty("database").GetString().Should().Be("ok");
        health.GetProperty("events").GetInt64().Should().BeGreaterThan(0, "the seed packages are loaded");
        health.GetProperty("databaseSource").GetString().Should().Be("configured", "the tests hand the service its database");
        health.GetRawText().Should().NotContain("Password");
    }

    [Fact]
    public async Task Lean_figure_events_in_a_document_stream_are_projected_into_a_figure_history_with_the_document_and_recording_said_once()
    {
        var figure = new FigureKey("TEST.LEAN", "Revenue", "FY2023").ToString();
        var recording = new Recording("test", "foundation check").At(DateTimeOffset.UtcNow);
        await using (var session = app.Store.LightweightSession())
        {
            foreach (var (document, published) in new[] { ("TEST.LEAN/AR2023", new DateOnly(2024, 3, 1)), ("TEST.LEAN/AR2024", new DateOnly(2025, 3, 1)) })
                session.Events.StartStream(StreamKeys.Document(document),
                    new FigureDisclosed(figure, new Statement(Amount.Of(100m, "CNY", 0), "100"), 1, new Location(Row: "Revenue")),
                    new DocumentRecorded(document, "TEST.LEAN", "annual-report", document, "en", published, null, "hash", 1, 0, 0, [], recording));
            await session.SaveChangesAsync();
        }

        await using var query = app.Store.QuerySession();
        var history = await FigureReads.LoadAsync(query, figure, CancellationToken.None);
        history!.Timeline.Select(t => (t.Kind, t.DocumentId, t.PublishedOn)).Should().Equal(
            ("disclosed", "TEST.LEAN/AR2023", new DateOnly(2024, 3, 1)), ("reaffirmed", "TEST.LEAN/AR2024", new DateOnly(2025, 3, 1)));
        history.Timeline.Should().OnlyContain(t => t.Recording == recording);
        history.Current!.Value.Should().Be(100m);
        var stored = (await query.AdvancedSql.QueryAsync<string>(
            $"select data::text from {Ledger.Api.Database.MartenSetup.Schema}.mt_events where stream_id = ? and type = 'figure_disclosed'", CancellationToken.None, StreamKeys.Document("TEST.LEAN/AR2023"))).Single();
        stored.Should().NotContain("recording").And.NotContain("document", "the document and its recording are said once, by DocumentRecorded");
    }

    [Fact]
    public async Task Figure_events_as_earlier_builds_recorded_them_each_naming_its_document_in_the_figure_stream_are_still_read()
    {
        var figure = new FigureKey("TEST.STORE", "Revenue", "FY2023").ToString();
        var recording = new Recording("test", "foundation check").At(DateTimeOffset.UtcNow);
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append(figure,
                new FigureDisclosed(figure, new Statement(Amount.Of(100m, "CNY", 0), "100"), 1, new Location(Row: "Revenue"),
                    Document: new DocumentRef("TEST.STORE/AR2023", new DateOnly(2024, 3, 1)), Recording: recording),
                new FigureDisclosed(figure, new Statement(Amount.Of(100m, "CNY", 0), "100"), 1, new Location(Row: "Revenue"),
                    Document: new DocumentRef("TEST.STORE/AR2024", new DateOnly(2025, 3, 1)), Recording: recording));
            await session.SaveChangesAsync();
        }

        await using var query = app.Store.QuerySession();
        var history = await FigureReads.LoadAsync(query, figure, CancellationToken.None);
        history!.Timeline.Select(t => t.Kind).Should().Equal("disclosed", "reaffirmed");
        history.Current!.Value.Should().Be(100m);
        history.Restated.Should().BeFalse();
    }
}
