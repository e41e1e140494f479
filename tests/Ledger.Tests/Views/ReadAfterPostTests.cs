using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

/// <summary>
/// A read right after a POST sees what it recorded, with no wait, in each view that shows it (the entity, its documents,
/// a figure, its history, a statement, now and as of a date, the figure list): the views are written in the write's own
/// transaction (README, "Views and when they are written"), so the 201 comes after them.
/// </summary>
[Collection(LedgerCollection.Name)]
public class ReadAfterPostTests(LedgerApp app)
{
    private const string Entity = "READ.A";
    private const string Figure = $"{Entity}|ProfitLoss|FY2022|consolidated";

    [Fact]
    public async Task A_read_right_after_the_post_sees_the_new_figures_and_a_restatement_of_them_in_each_view_that_shows_them()
    {
        (await app.PostPackageAsync(MadeUp.Package(Entity, "AR2022", "2023-03-20", MadeUp.Fact("ProfitLoss", "FY2022", "50")).Json()))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var figure = await app.GetJsonAsync($"/api/entities/{Entity}/figures/ProfitLoss/FY2022");
        Value(figure, "current").Should().Be("50");
        figure.GetProperty("restated").GetBoolean().Should().BeFalse();
        Value(await Line(), "current").Should().Be("50");
        (await app.GetJsonAsync("/api/entities?limit=5000")).EnumerateArray().Select(e => e.GetProperty("id").GetString()).Should().Contain(Entity);

        var ar2023 = MadeUp.Package(Entity, "AR2023", "2024-03-20", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        ar2023["citedDocuments"] = new JsonArray(new JsonObject { ["id"] = $"{Entity}/AR2022", ["kind"] = "annual-report", ["title"] = "AR2022" });
        ar2023["restatements"] = new JsonArray(MadeUp.Restatement("ProfitLoss", "FY2022", "50", "45", $"{Entity}/AR2022"));
        (await app.PostPackageAsync(ar2023.Json())).StatusCode.Should().Be(HttpStatusCode.Created);

        figure = await app.GetJsonAsync($"/api/entities/{Entity}/figures/ProfitLoss/FY2022");
        (Value(figure, "current"), Value(figure, "original"), figure.GetProperty("restated").GetBoolean()).Should().Be(("45", "50", true));
        (await app.GetJsonAsync($"/api/entities/{Entity}/figures/ProfitLoss/FY2022/history")).GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()).Should().Equal("disclosed", "restated");
        var line = await Line();
        (Value(line, "current"), Value(line, "asOriginallyReported"), line.GetProperty("restated").GetBoolean()).Should().Be(("45", "50", true));
        // As known before the restating report was published: the value as first reported.
        Value(await app.GetJsonAsync($"/api/entities/{Entity}/figures/ProfitLoss/FY2022?asOf=2024-03-19"), "current").Should().Be("50");
        Value(await Line("?asOf=2024-03-19"), "current").Should().Be("50");
        (await app.GetJsonAsync($"/api/entities/{Entity}/figures?period=FY2022")).GetProperty("figures").EnumerateArray()
            .Single(f => f.GetProperty("figure").GetString() == Figure).GetProperty("current").GetProperty("value").GetString().Should().Be("45");
        (await app.GetJsonAsync($"/api/entities/{Entity}/documents")).EnumerateArray()
            .Select(d => (d.GetProperty("id").GetString(), d.GetProperty("facts").GetInt32(), d.GetProperty("restatements").GetInt32()))
            .Should().Equal(($"{Entity}/AR2022", 1, 0), ($"{Entity}/AR2023", 1, 1));
    }

    private async Task<JsonElement> Line(string query = "") =>
        (await app.GetJsonAsync($"/api/entities/{Entity}/statements/FY2022{query}")).GetProperty("lines").EnumerateArray()
            .Single(l => l.GetProperty("figure").GetString() == Figure);

    private static string? Value(JsonElement view, string property) => view.GetProperty(property).GetProperty("value").GetString();
}
