using Ledger.Domain.Documents;
using Ledger.Domain.Events;
using Ledger.Domain.Figures;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Api;

/// <summary>Who recorded each event, when, why and under which request: in the figure's history and in Marten's metadata.</summary>
[Collection(LedgerCollection.Name)]
public class AuditMetadataTests(LedgerApp app)
{
    [Fact]
    public async Task Every_event_carries_the_key_name_the_time_the_correlation_id_and_the_reason_and_the_history_shows_them()
    {
        using var writer = app.ClientWith(LedgerApp.WriterKey);
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var response = await writer.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/disclosures")
        {
            Content = new StringContent(MadeUp.Package("AUDIT.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000")).Json(), System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "X-Correlation-Id", "audit-request-42" }, { "X-Ledger-Reason", "annual report received from the exchange" } },
        });
        response.EnsureSuccessStatusCode();
        response.Headers.GetValues("X-Correlation-Id").Single().Should().Be("audit-request-42");

        var history = await app.GetJsonAsync("/api/entities/AUDIT.A/figures/Revenue/FY2023/history");
        var recording = history.GetProperty("entries")[0].GetProperty("recording");
        recording.GetProperty("recordedBy").GetString().Should().Be("test-writer", "the key's name, never the key");
        recording.GetProperty("correlationId").GetString().Should().Be("audit-request-42");
        recording.GetProperty("reason").GetString().Should().Be("annual report received from the exchange");
        recording.GetProperty("recordedAt").GetDateTimeOffset().Should().BeOnOrAfter(started).And.BeOnOrBefore(DateTimeOffset.UtcNow);
        history.GetRawText().Should().NotContain(LedgerApp.WriterKey);

        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(StreamKeys.Document("AUDIT.A/AR2023"));
        events.Should().ContainSingle(e => e.Data is FigureDisclosed);
        var recorded = events.Should().ContainSingle(e => e.Data is DocumentRecorded, "the document's recording is said once, for all its figures").Subject;
        recorded.CorrelationId.Should().Be("audit-request-42");
        recorded.UserName.Should().Be("test-writer");
        recorded.Headers!["reason"].ToString().Should().Be("annual report received from the exchange");
        ((DocumentRecorded)recorded.Data).Recording.RecordedBy.Should().Be("test-writer");
    }

    [Fact]
    public async Task Without_a_correlation_id_one_is_made_and_returned()
    {
        var response = await app.Client.GetAsync("/api/entities");
        response.Headers.GetValues("X-Correlation-Id").Single().Should().MatchRegex("^[0-9a-f]{32}$");
    }
}
