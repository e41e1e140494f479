using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ledger.Tests.Infrastructure;

/// <summary>Made-up packages for made-up entities, so that tests never disturb the seed figures.</summary>
public static class MadeUp
{
    public static JsonObject Package(string entity, string slug, string? publishedOn, params JsonObject[] facts) => new()
    {
        ["document"] = new JsonObject
        {
            ["id"] = $"{entity}/{slug}", ["entity"] = entity, ["kind"] = "annual-report",
            ["title"] = $"{entity} {slug}", ["language"] = "en", ["publishedOn"] = publishedOn,
        },
        ["entities"] = new JsonArray(new JsonObject
        {
            ["id"] = entity, ["names"] = new JsonObject { ["en"] = $"Made-up {entity}" }, ["standard"] = "IFRS", ["currency"] = "CNY",
        }),
        ["facts"] = new JsonArray(facts.Select(f => (JsonNode)f).ToArray()),
    };

    public static JsonObject Fact(string concept, string period, string printed, string unit = "CNY", string scale = "units") => new()
    {
        ["concept"] = concept, ["period"] = period, ["printed"] = printed, ["scale"] = scale, ["unit"] = unit,
        ["location"] = new JsonObject { ["table"] = "Made-up table", ["row"] = concept },
    };

    /// <summary>The fact on a segment of its own, so that many facts of one concept and period are distinct figures.</summary>
    public static JsonObject Dimensioned(JsonObject fact, string segment)
    {
        fact["dims"] = new JsonObject { ["segment"] = segment };
        return fact;
    }

    public static JsonObject Restatement(string concept, string period, string before, string after, string previousDocument, string reason = "error-correction") => new()
    {
        ["concept"] = concept, ["period"] = period, ["unit"] = "CNY", ["scale"] = "units",
        ["before"] = new JsonObject { ["printed"] = before }, ["after"] = new JsonObject { ["printed"] = after },
        ["previouslyReportedIn"] = previousDocument,
        ["reasons"] = new JsonArray(new JsonObject { ["kind"] = reason }),
    };

    public static string Json(this JsonNode node) => node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
