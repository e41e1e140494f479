using System.Net;
using System.Text.Json;
using Ledger.Api.Database;
using Ledger.Projections.Checks;
using Ledger.Tests.Infrastructure;
using Npgsql;

namespace Ledger.Tests.Views;

/// <summary>
/// The checks are a read model (issue 16, finding 1): a page of checks is read from stored findings, and only an entity
/// that changed since its checks were last worked out is checked again, and only when a read covers it.
/// </summary>
[Collection(LedgerCollection.Name)]
public class CheckReadModelTests(LedgerApp app)
{
    private async Task<Dictionary<string, (long Marked, long Computed)>> StateAsync()
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select entity, marked, computed from {MartenSetup.Schema}.{CheckTables.State}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var state = new Dictionary<string, (long, long)>();
        while (await reader.ReadAsync()) state[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return state;
    }

    [Fact]
    public async Task A_load_marks_only_its_entity_and_only_a_read_that_covers_it_checks_it_again()
    {
        var all = await app.GetJsonAsync("/api/checks?limit=5000");
        var state = await StateAsync();
        state.Values.Should().OnlyContain(s => s.Computed == s.Marked, "a read of every entity's checks worked them all out");

        var package = MadeUp.Package("CHK.MODEL", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "110"), MadeUp.Fact("Revenue", "FY2022", "100"));
        (await app.PostPackageAsync(package.Json())).StatusCode.Should().Be(HttpStatusCode.Created);
        state = await StateAsync();
        state["CHK.MODEL"].Computed.Should().BeLessThan(state["CHK.MODEL"].Marked, "the load marked its entity");
        state.Where(s => s.Key != "CHK.MODEL").Should().OnlyContain(s => s.Value.Computed == s.Value.Marked, "no other entity changed");

        await app.GetJsonAsync("/api/checks?entity=0268.HK&limit=1");
        (await StateAsync())["CHK.MODEL"].Computed.Should().BeLessThan(state["CHK.MODEL"].Marked, "a read of another entity's checks leaves it");
        await app.GetJsonAsync("/api/checks?limit=1");
        (await StateAsync())["CHK.MODEL"].Computed.Should().Be(state["CHK.MODEL"].Marked, "a read of every entity's checks works it out");
    }

    [Fact]
    public async Task Pages_of_one_finding_give_the_whole_list_with_its_count()
    {
        var whole = await app.GetJsonAsync("/api/checks?limit=5000");
        var expected = whole.GetProperty("findings").EnumerateArray().Select(f => f.GetRawText()).ToList();
        whole.GetProperty("count").GetInt32().Should().Be(expected.Count);
        expected.Should().HaveCountGreaterThan(3);

        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await app.GetJsonAsync($"/api/checks?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}");
            page.GetProperty("count").GetInt32().Should().Be(expected.Count);
            paged.AddRange(page.GetProperty("findings").EnumerateArray().Select(f => f.GetRawText()));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (cursor is not null);
        paged.Should().Equal(expected);
    }
}
