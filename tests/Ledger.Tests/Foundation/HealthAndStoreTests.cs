using Ledger.Domain.Events;
using Ledger.Domain.Values;
using Ledger.Projections;
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
    public async Task Events_appended_to_PostgreSQL_are_projected_into_a_figure_history()
    {
        var figure = new FigureKey("TEST.STORE", "Revenue", "FY2023").ToString();
        var recording = new Recording("test", "foundation check").At(DateTimeOffset.UtcNow);
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append(figure,
                new FigureDisclosed(figure, new Statement(Amount.Of(100m, "CNY", 0), "100"), new DocumentRef("TEST.STORE/AR2023", new DateOnly(2024, 3, 1)), 1, new Location(Row: "Revenue"), recording),
                new FigureDisclosed(figure, new Statement(Amount.Of(100m, "CNY", 0), "100"), new DocumentRef("TEST.STORE/AR2024", new DateOnly(2025, 3, 1)), 1, new Location(Row: "Revenue"), recording));
            await session.SaveChangesAsync();
        }

        await using var query = app.Store.QuerySession();
        var history = await FigureReads.LoadAsync(query, figure, CancellationToken.None);
        history!.Timeline.Select(t => t.Kind).Should().Equal("disclosed", "reaffirmed");
        history.Current!.Value.Should().Be(100m);
        history.Restated.Should().BeFalse();
    }
}
