using System.Text.Json;
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

        operations.Should().HaveCount(21, "the API's operations are described, the workbench's routes are not");
        operations.Where(o => !o.Operation.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString()))
            .Select(o => o.Key).Should().BeEmpty("every operation has a summary, written on its endpoint");
        operations.Where(o => o.Key != "GET api/disclosures/schema" && !o.Operation.GetProperty("responses").EnumerateObject()
                .Any(r => r.Name is "200" or "201" && r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/json", out var j) && j.TryGetProperty("example", out _)))
            .Select(o => o.Key).Should().BeEmpty("every answer but the static schema has an example from the seeds");
        document.GetRawText().Should().Contain("6003513.77", "examples are drawn from the seed data");
    }

    [Theory]
    [InlineData("/api/entities/{entity}/figures/{concept}/{period}", "FigureView", "current")]
    [InlineData("/api/entities/{entity}/figures/{concept}/{period}/history", "HistoryView", "entries")]
    [InlineData("/api/entities/{entity}/statements/{period}", "StatementResponse", "lines")]
    [InlineData("/api/entities/{entity}/non-gaap/{measure}/{period}", "NonGaapResponse", "reconciliations")]
    [InlineData("/api/entities/{entity}/policy-changes/{policyChange}/reconciliation", "PolicyChangeReconciliationResponse", "identities")]
    [InlineData("/api/checks", "ChecksResponse", "findings")]
    public async Task Answers_of_the_read_endpoints_are_described_by_schemas_inferred_from_their_response_records(string path, string schema, string property)
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        var ok = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json");
        ok.GetProperty("schema").GetProperty("$ref").GetString().Should().Be($"#/components/schemas/{schema}");
        ok.TryGetProperty("example", out _).Should().BeTrue("the example from the seeds stays beside the schema");
        document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").TryGetProperty(property, out _)
            .Should().BeTrue($"{schema} has {property}");
        document.GetProperty("components").GetProperty("schemas").TryGetProperty("IResult", out _).Should().BeFalse("IResult is no answer's shape");
    }

    [Theory]
    [InlineData("/api/disclosures", "201", "PackageRecorded", "facts")]
    [InlineData("/api/disclosures", "200", "PackageOnRecord", "corrected")]
    [InlineData("/api/imports/sec-companyfacts", "200", "ImportResponse", "recordedDocuments")]
    [InlineData("/api/imports/xbrl-json", "200", "ImportResponse", "recordedDocuments")]
    public async Task Answers_of_the_writes_are_described_by_schemas_of_their_response_records(string path, string status, string schema, string property)
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        var answer = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/json");
        answer.GetProperty("schema").GetProperty("$ref").GetString().Should().Be($"#/components/schemas/{schema}");
        document.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties").TryGetProperty(property, out _)
            .Should().BeTrue($"{schema} has {property}");
    }

    [Fact]
    public async Task The_description_has_the_API_key_scheme_and_every_problem_each_operation_can_answer()
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty(OpenApiExamples.SecuritySchemeName);
        scheme.GetProperty("type").GetString().Should().Be("apiKey");
        scheme.GetProperty("in").GetString().Should().Be("header");
        scheme.GetProperty("name").GetString().Should().Be("X-Api-Key");

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (Key: $"{m.Name.ToUpperInvariant()} {p.Name}", Operation: m.Value)))
            .ToDictionary(o => o.Key, o => o.Operation);
        static string[] Statuses(JsonElement op) => op.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();

        foreach (var (key, op) in operations.Where(o => o.Key is not ("GET /health" or "GET /api/disclosures/schema")))
        {
            op.GetProperty("security")[0].TryGetProperty(OpenApiExamples.SecuritySchemeName, out _).Should().BeTrue($"{key} names the key scheme");
            Statuses(op).Should().Contain(["401", "429", "500"], key);
        }
        Statuses(operations["POST /api/disclosures"]).Should().Contain(["400", "401", "403", "409", "422", "429", "500"]);
        Statuses(operations["POST /api/admin/rebuild"]).Should().Contain("403");
        Statuses(operations["GET /api/entities/{entity}/statements/{period}"]).Should().Contain(["304", "400", "404"]);
        operations["GET /health"].TryGetProperty("security", out _).Should().BeFalse("health is public");
        operations["POST /api/disclosures"].GetProperty("responses").GetProperty("422").GetProperty("content")
            .TryGetProperty("application/problem+json", out _).Should().BeTrue();
    }

    [Fact]
    public async Task The_package_schema_is_served_as_published_and_every_seed_package_is_valid_under_it()
    {
        var response = await app.Client.GetAsync("/api/disclosures/schema");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/schema+json");
        var served = await response.Content.ReadAsStringAsync();
        served.Should().Be(await File.ReadAllTextAsync(Repository.File("docs", "disclosure-package.schema.json")), "the API serves the schema the repository publishes");

        var schema = Json.Schema.JsonSchema.FromText(served);
        foreach (var seed in Directory.GetFiles(Repository.File("data", "seeds"), "*.json"))
        {
            var result = schema.Evaluate(JsonDocument.Parse(await File.ReadAllTextAsync(seed)).RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
            result.IsValid.Should().BeTrue($"{Path.GetFileName(seed)} must be a valid package: {JsonSerializer.Serialize(result.Details?.Where(d => !d.IsValid && d.Errors is not null).Select(d => new { path = d.InstanceLocation.ToString(), d.Errors }))}");
        }

        // And the schema refuses what the API refuses: a package without its document, a fact whose value is a number.
        schema.Evaluate(JsonDocument.Parse("""{ "facts": [] }""").RootElement).IsValid.Should().BeFalse();
        var numeric = MadeUp.Package("SCHEMA.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1"));
        numeric["facts"]![0]!["printed"] = 1;
        schema.Evaluate(JsonDocument.Parse(numeric.Json()).RootElement).IsValid.Should().BeFalse();
        // Dimensions whose names or members hold a key's separators ('|', ';', '='), are blank or padded with spaces: every dims in the schema has the rule.
        foreach (var (name, member) in new[] { ("Segment|Cloud", "Enterprise"), ("Segment", "Cloud;Enterprise"), ("Segment", " "), (" Segment", "Cloud"), ("Segment", "Cloud "), ("Line", "a\tb") })
        {
            var fact = MadeUp.Package("SCHEMA.B", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1"));
            fact["facts"]![0]!["dims"] = new System.Text.Json.Nodes.JsonObject { [name] = member };
            schema.Evaluate(JsonDocument.Parse(fact.Json()).RootElement).IsValid.Should().BeFalse($"dims {{ {name}: '{member}' }} on a fact");
        }
        // Ids that could not be one segment of their URL.
        var spaced = MadeUp.Package("SCHEMA.C", "AR 2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1"));
        schema.Evaluate(JsonDocument.Parse(spaced.Json()).RootElement).IsValid.Should().BeFalse("a document id's slug with a space");
        var policy = MadeUp.Package("SCHEMA.D", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1"));
        policy["policyChanges"] = System.Text.Json.Nodes.JsonNode.Parse("""[ { "id": "CAS/16", "title": "t", "effectiveFrom": "2023-01-01" } ]""");
        schema.Evaluate(JsonDocument.Parse(policy.Json()).RootElement).IsValid.Should().BeFalse("a policy change id with a '/'");
        var dots = MadeUp.Package("SCHEMA.E", "..", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1"));
        schema.Evaluate(JsonDocument.Parse(dots.Json()).RootElement).IsValid.Should().BeFalse("a slug of '..', which clients collapse");
    }
}
