using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Events;
using Ledger.Domain.Values;

namespace Ledger.Api.Exports;

/// <summary>
/// A statement inside a ledger property of an export (a restatement's before and after, a policy change's effect): the
/// same fields a fact has at its top level, unprefixed: <c>value</c>, <c>decimals</c>, <c>nil</c>, <c>approximate</c>,
/// <c>lowerBound</c>, <c>printed</c>, <c>scale</c>, <c>location</c>.
/// </summary>
public static class StatementJson
{
    private static readonly JsonSerializerOptions LocationJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonObject Of(Statement s, Location? location)
    {
        var json = new JsonObject { ["value"] = s.Value.ValueText };
        if (s.Value.Decimals is { } d) json["decimals"] = d;
        if (s.Value.Nil == NilKind.NotApplicable) json["nil"] = "not-applicable";
        if (s.Value.Approximate) json["approximate"] = true;
        if (s.Value.LowerBound) json["lowerBound"] = true;
        if (s.Printed is not null) json["printed"] = s.Printed;
        if (s.Scale is not null) json["scale"] = s.Scale;
        if (LocationOf(location) is { } l) json["location"] = l;
        return json;
    }

    /// <summary>The location's fields that are set, or null when none is.</summary>
    public static JsonObject? LocationOf(Location? location) =>
        location is not null && JsonSerializer.SerializeToNode(location, LocationJson) is JsonObject { Count: > 0 } json ? json : null;

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
