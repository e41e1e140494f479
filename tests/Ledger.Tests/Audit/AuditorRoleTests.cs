using System.Net;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Audit;

/// <summary>The auditor reads and verifies but never writes; a reader reads but does not verify.</summary>
[Collection(LedgerCollection.Name)]
public class AuditorRoleTests(LedgerApp app)
{
    [Fact]
    public async Task An_auditor_verifies_and_reads_but_gets_403_on_loading_a_package_and_nothing_is_written()
    {
        using var auditor = app.ClientWith(LedgerApp.AuditorKey);
        var events = await app.EventCountAsync();

        (await auditor.GetAsync("/api/audit/verify")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync("/api/audit/checkpoint")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await auditor.GetAsync("/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022/history")).StatusCode.Should().Be(HttpStatusCode.OK);
        var post = await auditor.PostAsync("/api/disclosures", new StringContent(
            MadeUp.Package("AUDIT.ROLE", "AR2024", "2025-01-01", MadeUp.Fact("Revenue", "FY2024", "1")).Json(), System.Text.Encoding.UTF8, "application/json"));
        (await auditor.PostAsync("/api/admin/rebuild", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        post.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        post.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await LedgerApp.JsonOf(post)).GetProperty("detail").GetString().Should().Contain("auditor").And.Contain("writer");
        (await app.EventCountAsync()).Should().Be(events);
    }

    [Fact]
    public async Task A_reader_gets_403_on_verify_but_may_keep_a_checkpoint_and_a_writer_may_verify()
    {
        using var reader = app.ClientWith(LedgerApp.ReaderKey);
        var refused = await reader.GetAsync("/api/audit/verify");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await LedgerApp.JsonOf(refused)).GetProperty("requiredRole").GetString().Should().Be("auditor");
        (await reader.GetAsync("/api/audit/checkpoint")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var writer = app.ClientWith(LedgerApp.WriterKey);
        (await writer.GetAsync("/api/audit/verify")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var anonymous = app.ClientWith(null);
        (await anonymous.GetAsync("/api/audit/verify")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("from=abc", "from")]
    [InlineData("from=-3", "from")]
    [InlineData("from=10&hash=xyz", "hash")]
    [InlineData("hash=0000000000000000000000000000000000000000000000000000000000000000", "from")]
    public async Task Bad_checkpoint_parameters_are_a_400_problem_naming_the_field(string query, string field)
    {
        using var auditor = app.ClientWith(LedgerApp.AuditorKey);
        var response = await auditor.GetAsync($"/api/audit/verify?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await LedgerApp.JsonOf(response)).GetProperty("errors")[0].GetProperty("path").GetString().Should().Be(field);
    }

    [Fact]
    public async Task An_empty_ledgers_checkpoint_sequence_0_and_the_zero_hash_is_extended_by_every_log()
    {
        // What GET /api/audit/checkpoint answers on a ledger with no event yet: an auditor's first checkpoint.
        using var auditor = app.ClientWith(LedgerApp.AuditorKey);
        var verified = await LedgerApp.JsonOf(await auditor.GetAsync($"/api/audit/verify?from=0&hash={Ledger.Api.Audit.AuditLog.Genesis}"));

        verified.GetProperty("intact").GetBoolean().Should().BeTrue();
        verified.GetProperty("checkpoint").GetProperty("extended").GetBoolean().Should().BeTrue();
        (await LedgerApp.JsonOf(await auditor.GetAsync($"/api/audit/verify?from=0&hash={new string('1', 64)}")))
            .GetProperty("checkpoint").GetProperty("extended").GetBoolean().Should().BeFalse("no log starts from another hash");
    }
}
