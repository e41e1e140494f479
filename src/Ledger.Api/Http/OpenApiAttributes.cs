namespace Ledger.Api.Http;

// What an endpoint says about itself in the OpenAPI description, beside what is inferred from it (its response record's
// schema, its route and query parameters, its policy): written on the endpoint, read by OpenApiExamples' transformer.
// Its summary is ASP.NET Core's own [EndpointSummary].

/// <summary>An answer the operation gives, drawn from the seed data, shown beside the schema inferred from its response record (201 for a POST that records, else 200).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ResponseExampleAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>A request body the operation takes, drawn from the seed data.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequestExampleAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>
/// The problems the operation answers its input with (400, 404, 409, 413, 415, 422); those any operation may answer
/// (400 for a control character in the path or query, 401 and 403 by its policy, 429, 500, 503 on /api routes) are
/// added to every one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProblemAnswersAttribute(params int[] statuses) : Attribute
{
    public IReadOnlyList<int> Statuses { get; } = statuses;
}
