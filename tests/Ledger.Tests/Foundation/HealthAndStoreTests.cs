using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
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
        stored.Should().NotContain("null", "a member without a value is not written (MartenSetup): no note, scale, nil, page, …")
            .And.Contain("\"row\": \"Revenue\"");
    }

    [Fact]
    public void An_event_written_with_its_absent_members_as_nulls_as_builds_before_2026_12_05_wrote_it_reads_as_the_same_event()
    {
        var serializer = ((Marten.StoreOptions)app.Store.Options).Serializer();
        var figure = new FigureKey("TEST.NULLS", "Revenue", "FY2023").ToString();
        var disclosed = new FigureDisclosed(figure, new Statement(Amount.Of(6922754.24m, "CNY", 2)), 1, new Location());
        // The shape a disclosure was stored in before (a benchmark event of the build before, its figure renamed).
        var older = $$"""
            {"note": null, "value": {"scale": null, "value": {"nil": null, "unit": "CNY", "value": 6922754.24, "decimals": 2, "approximate": false}, "printed": null}, "figure": "{{figure}}", "location": {"row": null, "line": null, "page": null, "table": null, "column": null, "section": null}, "sequence": 1}
            """;
        var lean = serializer.ToJson(disclosed);

        lean.Should().NotContain("null");
        Read(older).Should().BeEquivalentTo(disclosed);
        Read(lean).Should().BeEquivalentTo(disclosed);

        FigureDisclosed Read(string json) => serializer.FromJson<FigureDisclosed>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
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
