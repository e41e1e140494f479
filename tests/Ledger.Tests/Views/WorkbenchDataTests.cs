using System.Net;
using System.Text.Json;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

/// <summary>The workbench's own reads answer for a page of entities, or one entity, however many figures there are (issue 16).</summary>
[Collection(LedgerCollection.Name)]
public class WorkbenchDataTests(LedgerApp app)
{
    private const string Zwsoft = "688083.SH";

    [Fact]
    public async Task The_entity_list_counts_each_entitys_figures_and_checks_on_the_server_a_page_at_a_time()
    {
        var all = await app.GetJsonAsync("/ui/data/entities");
        var rows = all.GetProperty("entities").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        var figures = (await app.GetJsonAsync($"/api/entities/{Zwsoft}/figures?limit=5000")).GetProperty("figures").EnumerateArray().ToList();
        figures.Count.Should().BeGreaterThan(1000, "ZWSOFT states more figures than a default page of the figure list");
        rows[Zwsoft].GetProperty("figures").GetInt32().Should().Be(figures.Count, "every figure is counted, not a first page");
        rows[Zwsoft].GetProperty("restated").GetInt32().Should().Be(figures.Count(f => f.GetProperty("restated").GetBoolean()));
        var checks = (await app.GetJsonAsync($"/api/checks?entity={Zwsoft}&limit=5000")).GetProperty("findings").EnumerateArray().ToList();
        rows[Zwsoft].GetProperty("inconsistent").GetInt32().Should().Be(checks.Count(c => c.GetProperty("verdict").GetString() == "inconsistent"));
        rows[Zwsoft].GetProperty("indeterminate").GetInt32().Should().Be(checks.Count(c => c.GetProperty("verdict").GetString() == "indeterminate"));

        // A page at a time: the cursor walks the whole list of entities (the shared test ledger holds more than a page).
        var entities = (await app.GetJsonAsync("/api/entities?limit=5000")).EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        var walked = new List<string>();
        string? cursor = null;
        do
        {
            var page = await app.GetJsonAsync($"/ui/data/entities?limit=7{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            walked.AddRange(page.GetProperty("entities").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (cursor is not null);
        walked.Should().Equal(entities.Order(StringComparer.Ordinal));
        rows.Keys.Should().Equal(walked.Take(rows.Count), "the first page is the first of the walk");
    }

    [Fact]
    public async Task An_entitys_page_gets_its_periods_and_restated_figures_from_all_its_figures()
    {
        var overview = await app.GetJsonAsync($"/ui/data/entities/{Zwsoft}");
        overview.GetProperty("periods").EnumerateArray().Select(p => p.GetString()).Should().Contain(["FY2023", "FY2022"]);
        var restated = overview.GetProperty("restated").EnumerateArray().Select(r => r.GetProperty("figure").GetString()).ToList();
        restated.Should().Contain("688083.SH|ProfitLossAttributableToOwnersOfParent|FY2022|consolidated");
        var figures = (await app.GetJsonAsync($"/api/entities/{Zwsoft}/figures?limit=5000")).GetProperty("figures").EnumerateArray();
        restated.Should().BeEquivalentTo(figures.Where(f => f.GetProperty("restated").GetBoolean()).Select(f => f.GetProperty("figure").GetString()));

        using var client = app.ClientWith(LedgerApp.ReaderKey);
        (await client.GetAsync("/ui/data/entities/NOPE.XX")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/ui/data/entities?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
