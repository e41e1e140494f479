using System.Net;
using Ledger.Api.Http;
using Ledger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Tests.Api;

/// <summary>A caller may run only a few expensive reads (checks, lists, statements, exports) at once; others are not held up.</summary>
[Collection(LedgerCollection.Name)]
public class ExpensiveReadTests(LedgerApp app)
{
    [Fact]
    public async Task A_caller_with_its_expensive_reads_all_running_gets_429_while_cheap_reads_and_other_callers_go_on()
    {
        await using var host = app.Variant(new Dictionary<string, string?> { ["Ledger:Reads:MaxConcurrentPerCaller"] = "1" });
        using var reader = host.CreateClient();
        reader.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.ReaderKey);
        using var other = host.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", LedgerApp.AdminKey);
        var slots = host.Services.GetRequiredService<ExpensiveReadSlots>();

        // The reader's one slot is taken, as by a slow request of its own still running.
        var running = slots.TryEnter("key:test-reader");
        running.Should().NotBeNull();

        var refused = await reader.GetAsync("/api/checks?entity=688083.SH");
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.Should().NotBeNull();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await reader.GetAsync("/api/entities/688083.SH/statements/FY2022")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await reader.GetAsync("/api/entities/688083.SH/figures/Revenue/FY2023")).StatusCode.Should().Be(HttpStatusCode.OK, "one figure is cheap");
        (await other.GetAsync("/api/checks?entity=688083.SH")).StatusCode.Should().Be(HttpStatusCode.OK, "slots are per caller");

        running!.Dispose();
        (await reader.GetAsync("/api/checks?entity=688083.SH")).StatusCode.Should().Be(HttpStatusCode.OK);
        slots.TryEnter("key:test-reader").Should().NotBeNull("the finished request gave its slot back");
    }
}
