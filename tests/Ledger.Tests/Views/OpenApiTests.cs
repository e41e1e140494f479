using Ledger.Api.Http;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

[Collection(LedgerCollection.Name)]
public class OpenApiTests(LedgerApp app)
{
    [Fact]
    public async Task Every_endpoint_is_described_with_a_summary_and_the_description_is_served()
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (Key: $"{m.Name.ToUpperInvariant()} {p.Name.TrimStart('/')}", Operation: m.Value)))
            .ToList();

        operations.Select(o => o.Key).Should().BeEquivalentTo(OpenApiExamples.DocumentedOperations);
        operations.Where(o => !o.Operation.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString()))
            .Select(o => o.Key).Should().BeEmpty("every operation has a summary");
        document.GetRawText().Should().Contain("6003513.77", "examples are drawn from the seed data");
    }

    [Fact]
    public async Task The_package_schema_is_served()
    {
        var schema = await app.GetJsonAsync("/api/disclosures/schema");
        schema.GetProperty("title").GetString().Should().Be("Ledger disclosure package");
    }
}
