using System.Net;
using System.Text.Json.Nodes;
using Ledger.Api.Http;
using Ledger.Tests.Infrastructure;
using Marten;

namespace Ledger.Tests.Api;

/// <summary>Idempotency-Key records do not live for ever: answers expire, a dead request's claim is released, huge answers are not kept.</summary>
[Collection(LedgerCollection.Name)]
public class IdempotencyLifetimeTests(LedgerApp app)
{
    [Fact]
    public async Task An_answer_older_than_the_retention_no_longer_holds_the_key()
    {
        (await PostWithKey("expiring-key", Package("IDEM.EXP", "AR2023", "1,000"))).StatusCode.Should().Be(HttpStatusCode.Created);
        await AgeAsync("expiring-key", r => { r.ClaimedAt -= TimeSpan.FromHours(25); r.AnsweredAt -= TimeSpan.FromHours(25); });

        var reused = await PostWithKey("expiring-key", Package("IDEM.EXP", "AR2024", "2,000"));

        reused.StatusCode.Should().Be(HttpStatusCode.Created, "after 24 hours the key is free again (Ledger:Idempotency:RetentionHours)");
        (await app.CurrentAsync("IDEM.EXP", "Revenue", "FY2024")).Value.Should().Be("2000");
    }

    [Fact]
    public async Task A_claim_left_by_a_request_whose_process_died_is_released_at_once_and_a_retry_runs()
    {
        var package = Package("IDEM.ABANDON", "AR2023", "1,000");
        (await PostWithKey("abandoned-key", package)).StatusCode.Should().Be(HttpStatusCode.Created);
        // As a SIGKILL during the request leaves it: claimed, never answered, and nobody holds the key's lock any more.
        await AgeAsync("abandoned-key", r => { r.Status = 0; r.Body = ""; r.AnsweredAt = null; });
        var events = await app.EventCountAsync();

        var retry = await PostWithKey("abandoned-key", package);

        retry.StatusCode.Should().Be(HttpStatusCode.OK, "the retry runs, and the package is already loaded");
        (await LedgerApp.JsonOf(retry)).GetProperty("recorded").GetInt32().Should().Be(0);
        (await app.EventCountAsync()).Should().Be(events);
        (await PostWithKey("abandoned-key", package)).StatusCode.Should().Be(HttpStatusCode.OK, "and that answer is now the one kept");
    }

    [Fact]
    public async Task An_answer_larger_than_the_limit_is_not_kept_and_a_retry_runs_again()
    {
        var facts = Enumerable.Range(0, 1500).Select(i => MadeUp.Fact($"NoSuchConcept{i}", "FY2023", "1")).ToArray();
        var invalid = MadeUp.Package("IDEM.BIG", "AR2023", "2024-03-01", facts).Json();

        var first = await PostWithKey("big-answer-key", invalid);

        first.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await first.Content.ReadAsByteArrayAsync()).Length.Should().BeGreaterThan(IdempotencySettings.Default.MaxStoredAnswerBytes);
        (await RecordsEndingWith("|big-answer-key")).Should().BeEmpty();
        (await PostWithKey("big-answer-key", invalid)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_sweep_deletes_answers_and_claims_older_than_the_retention_and_keeps_the_rest()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(
                new IdempotentRequest { Id = "sweep|expired", BodySha256 = "x", Status = 201, Body = "{}", ClaimedAt = now.AddHours(-30), AnsweredAt = now.AddHours(-30) },
                new IdempotentRequest { Id = "sweep|abandoned", BodySha256 = "x", ClaimedAt = now.AddHours(-25) },
                new IdempotentRequest { Id = "sweep|running", BodySha256 = "x", ClaimedAt = now.AddMinutes(-1) },
                new IdempotentRequest { Id = "sweep|answered", BodySha256 = "x", Status = 201, Body = "{}", ClaimedAt = now.AddHours(-1), AnsweredAt = now.AddHours(-1) });
            await session.SaveChangesAsync();
        }

        (await Idempotency.SweepAsync(app.Store, IdempotencySettings.Default, now, CancellationToken.None)).Should().BeGreaterThanOrEqualTo(2);

        (await RecordsEndingWith("")).Select(r => r.Id).Where(id => id.StartsWith("sweep|", StringComparison.Ordinal))
            .Should().BeEquivalentTo(["sweep|running", "sweep|answered"]);
    }

    private static string Package(string entity, string slug, string revenue) =>
        MadeUp.Package(entity, slug, $"{int.Parse(slug[2..]) + 1}-03-01", MadeUp.Fact("Revenue", $"FY{slug[2..]}", revenue)).Json();

    private async Task AgeAsync(string key, Action<IdempotentRequest> change)
    {
        await using var session = app.Store.LightweightSession();
        var record = (await session.Query<IdempotentRequest>().ToListAsync()).Single(r => r.Id.EndsWith($"|{key}", StringComparison.Ordinal));
        change(record);
        session.Store(record);
        await session.SaveChangesAsync();
    }

    private async Task<IReadOnlyList<IdempotentRequest>> RecordsEndingWith(string suffix)
    {
        await using var query = app.Store.QuerySession();
        return (await query.Query<IdempotentRequest>().ToListAsync()).Where(r => r.Id.EndsWith(suffix, StringComparison.Ordinal)).ToList();
    }

    private Task<HttpResponseMessage> PostWithKey(string key, string json) =>
        app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/disclosures")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { Idempotency.Header, key } },
        });
}
