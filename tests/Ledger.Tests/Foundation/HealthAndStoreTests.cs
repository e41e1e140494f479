using Ledger.Api.Database;
using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections.Figures;
using Ledger.Tests.Infrastructure;
using Marten;
using Marten.Services;
using Npgsql;

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
    public async Task The_stores_connections_prepare_the_reads_they_repeat_unless_the_connection_string_says_otherwise()
    {
        // A connection of the store's own data source, given to the session, so that what it prepared can be asked of it.
        await using var connection = app.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        var statements = new List<string>();
        await using (var session = app.Store.QuerySession(SessionOptions.ForConnection(connection)))
        {
            for (var i = 0; i < 3; i++)
                (await FigureReads.LoadAsync(session, "688083.SH|Revenue|FY2023|consolidated", CancellationToken.None)).Should().NotBeNull();
            // Asked before the session ends: ending it closes the connection it was given.
            await using var prepared = new NpgsqlCommand("select statement from pg_prepared_statements", connection);
            await using var reader = await prepared.ExecuteReaderAsync();
            while (await reader.ReadAsync()) statements.Add(reader.GetString(0));
        }
        statements.Should().Contain(s => s.Contains("stated_values") && s.Contains("where figure ="), "a figure's read, run three times, is prepared after its second");

        PreparedStatements.Apply("Host=h;Max Auto Prepare=0").Should().Be("Host=h;Max Auto Prepare=0", "0 turns it off, for a proxy that cannot keep prepared statements");
        PreparedStatements.Apply("Host=h;maxautoprepare=5").Should().Be("Host=h;maxautoprepare=5");
        new NpgsqlConnectionStringBuilder(PreparedStatements.Apply("Host=h;Password=p")).Should().BeEquivalentTo(
            new { Host = "h", Password = "p", MaxAutoPrepare = PreparedStatements.PerConnection, AutoPrepareMinUsages = PreparedStatements.AfterUses });
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
