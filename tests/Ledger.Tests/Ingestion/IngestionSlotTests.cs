using System.Net;
using Ledger.Api.Ingestion;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Ingestion;

/// <summary>Concurrent loads are bounded: a writer cannot make the service hold any number of packages in memory at once.</summary>
[Collection(LedgerCollection.Name)]
public class IngestionSlotTests(LedgerApp app)
{
    [Fact]
    public async Task With_every_slot_busy_a_package_waits_then_gets_503_with_Retry_After_and_nothing_is_written()
    {
        await using var host = app.Variant(new Dictionary<string, string?>
        {
            ["Ledger:Ingestion:MaxConcurrent"] = "1", ["Ledger:Ingestion:WaitSeconds"] = "0.2",
        });
        using var writer = host.CreateClient();
        writer.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.WriterKey);
        var slots = host.Services.GetRequiredService<IngestionSlots>();

        // Another load holds the only slot (as a slow upload would, from its first byte to its answer).
        var held = await slots.TryEnterAsync(CancellationToken.None);
        held.Should().NotBeNull();
        slots.Available.Should().Be(0);
        var events = await app.EventCountAsync();

        var second = await writer.PostAsync("/api/disclosures", Json(MadeUp.Package("SLOT.B", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "2")).Json()));

        second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        second.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeGreaterThan(0);
        second.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await app.EventCountAsync()).Should().Be(events, "nothing of the refused package was written");
        (await app.Client.GetAsync("/api/entities/SLOT.B/figures")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        held!.Dispose();
        slots.Available.Should().Be(1);
        (await writer.PostAsync("/api/disclosures", Json(MadeUp.Package("SLOT.B", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "2")).Json())))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        slots.Available.Should().Be(1, "the slot is given back with the answer");
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
