using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Ledger.Tests.Infrastructure;

namespace Ledger.Tests.Views;

/// <summary>
/// The schemas /openapi/v1.json infers from the response records describe what the API really answers, and the examples
/// beside them are such answers: a client generated from the description takes the API's answers. Checked strictly: a
/// property the schema does not name fails, as does one it requires and the answer leaves out. Problems too: each is a
/// <c>ProblemDocument</c>, whatever its status.
/// </summary>
[Collection(LedgerCollection.Name)]
public class OpenApiSchemaTests(LedgerApp app)
{
    [Fact]
    public async Task Every_example_is_an_answer_its_schema_describes()
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        var checkedExamples = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                foreach (var answer in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    if (!answer.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json)
                        || !json.TryGetProperty("example", out var example)) continue;
                    if (!json.TryGetProperty("schema", out _))
                    {
                        // The export answers xBRL-JSON (or CSV), a standard's document: described by xbrl.org, not by a record of ours.
                        $"{operation.Name} {path.Name}".Should().Be("get /api/entities/{entity}/export", "every other example has a schema to be held to");
                        continue;
                    }
                    Departures(document, $"{operation.Name.ToUpperInvariant()} {path.Name}", answer.Name, example)
                        .Should().BeEmpty($"the example of {operation.Name.ToUpperInvariant()} {path.Name} ({answer.Name}) is an answer its schema describes");
                    checkedExamples++;
                }
        checkedExamples.Should().BeGreaterThanOrEqualTo(19, "every answer but the export's has a schema and an example");
    }

    [Theory]
    [InlineData("/api/entities", "/api/entities")]
    [InlineData("/api/entities/{entity}/documents", "/api/entities/688083.SH/documents")]
    [InlineData("/api/entities/{entity}/documents/{document}", "/api/entities/688083.SH/documents/AR2023")]
    [InlineData("/api/entities/{entity}/documents/{document}/tables", "/api/entities/688083.SH/documents/AR2023/tables")]
    [InlineData("/api/entities/{entity}/documents/{document}/tables/{table}", "/api/entities/688083.SH/documents/AR2023/tables/4190")]
    [InlineData("/api/entities/{entity}/figures", "/api/entities/688083.SH/figures?period=FY2022")]
    [InlineData("/api/entities/{entity}/figures", "/api/entities/688083.SH/figures?period=FY2022&asOf=2024-04-25")]
    [InlineData("/api/entities/{entity}/figures", "/api/entities/688083.SH/figures?view=as-reported&period=FY2022")]
    [InlineData("/api/entities/{entity}/figures", "/api/entities/3896.HK/figures?limit=5")]
    [InlineData("/api/entities/{entity}/figures/{concept}/{period}", "/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022")]
    [InlineData("/api/entities/{entity}/figures/{concept}/{period}", "/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022?asOf=2024-04-25")]
    [InlineData("/api/entities/{entity}/figures/{concept}/{period}", "/api/entities/3896.HK/figures/ProfitLoss/FY2024")]
    [InlineData("/api/entities/{entity}/figures/{concept}/{period}/history", "/api/entities/688083.SH/figures/ProfitLossAttributableToOwnersOfParent/FY2022/history")]
    [InlineData("/api/entities/{entity}/statements/{period}", "/api/entities/688083.SH/statements/FY2022")]
    [InlineData("/api/entities/{entity}/statements/{period}", "/api/entities/688083.SH/statements/FY2022?asOf=2023-06-01")]
    [InlineData("/api/entities/{entity}/non-gaap/{measure}/{period}", "/api/entities/0020.HK/non-gaap/AdjustedEbitda/FY2023")]
    [InlineData("/api/entities/{entity}/policy-changes/{policyChange}/reconciliation", "/api/entities/688083.SH/policy-changes/CAS-INTERP-16/reconciliation")]
    [InlineData("/api/checks", "/api/checks?entity=688083.SH")]
    [InlineData("/api/audit/checkpoint", "/api/audit/checkpoint")]
    [InlineData("/api/audit/verify", "/api/audit/verify")]
    [InlineData("/health", "/health")]
    public async Task Answers_over_the_seeds_are_what_their_schemas_describe(string path, string url)
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        Departures(document, $"GET {path}", "200", await app.GetJsonAsync(url)).Should().BeEmpty($"GET {url} answers what the description says");
    }

    [Fact]
    public async Task Problems_are_what_the_problem_schema_describes_whatever_their_status()
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        using var unknownKey = app.ClientWith("no-such-key");
        using var reader = app.ClientWith(LedgerApp.ReaderKey);
        var first = MadeUp.Package("PROB.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,000"));
        (await app.PostPackageAsync(first.Json())).StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        var differing = MadeUp.Package("PROB.A", "AR2023", "2024-03-01", MadeUp.Fact("Revenue", "FY2023", "1,001"));
        var answers = new (string Operation, string Status, Func<Task<HttpResponseMessage>> Ask)[]
        {
            ("GET /api/entities/{entity}/figures/{concept}/{period}", "400", () => app.Client.GetAsync("/api/entities/PROB.A/figures/Revenue/FY20X")),
            ("GET /api/entities/{entity}/figures", "404", () => app.Client.GetAsync("/api/entities/NO.SUCH/figures")),
            // Written by Wolverine's binding, not by the endpoint: put in the same shape (Http/FrameworkProblems).
            ("GET /api/entities", "400", () => app.Client.GetAsync("/api/entities?limit=abc")),
            ("GET /api/checks", "401", () => unknownKey.GetAsync("/api/checks")),
            ("POST /api/disclosures", "400", () => app.PostPackageAsync("{}")),
            ("POST /api/disclosures", "403", () => reader.PostAsync("/api/disclosures", new StringContent(first.Json(), System.Text.Encoding.UTF8, "application/json"))),
            ("POST /api/disclosures", "409", () => app.PostPackageAsync(differing.Json())),
            ("POST /api/disclosures", "415", () => app.Client.PostAsync("/api/disclosures", new StringContent(first.Json(), System.Text.Encoding.UTF8, "text/plain"))),
        };
        foreach (var (operation, status, ask) in answers)
        {
            using var response = await ask();
            ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(status, operation);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", operation);
            Departures(document, operation, status, await LedgerApp.JsonOf(response), "application/problem+json")
                .Should().BeEmpty($"the {status} of {operation} is a problem its schema describes");
        }
        document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDocument").GetProperty("properties")
            .TryGetProperty("errors", out _).Should().BeTrue("a problem names each wrong field in errors");
    }

    /// <summary>Where <paramref name="answer"/> departs from the schema of the operation's answer: empty when it does not.</summary>
    private static List<string> Departures(JsonElement document, string operation, string status, JsonElement answer, string mediaType = "application/json")
    {
        var (method, path) = (operation.Split(' ')[0].ToLowerInvariant(), operation.Split(' ')[1]);
        var schema = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty(mediaType).GetProperty("schema");
        // The components as the schema's definitions, each object closed to properties it does not name.
        var root = JsonNode.Parse(Local(schema.GetRawText()))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = Closed(JsonNode.Parse(Local(document.GetProperty("components").GetProperty("schemas").GetRawText()))!);
        var result = JsonSchema.FromText(root.ToJsonString()).Evaluate(answer, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return [];
        var found = (result.Details ?? []).Where(d => !d.IsValid && d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(20).ToList();
        // Invalid is never read as empty, whatever the output says of where.
        return found.Count > 0 ? found : ["invalid under the schema (no detail reported)"];

        static string Local(string json) => json.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
    }

    private static JsonNode Closed(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o.ToList()) if (child is not null) Closed(child);
                if (o.ContainsKey("properties") && !o.ContainsKey("additionalProperties")) o["unevaluatedProperties"] = false;
                break;
            case JsonArray a:
                foreach (var child in a) if (child is not null) Closed(child);
                break;
        }
        return node;
    }
}
