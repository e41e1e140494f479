using System.Text.Json.Nodes;
using Ledger.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ledger.Api.Http;

/// <summary>
/// The OpenAPI description's additions to what is inferred: each endpoint's example answers from the seed data and the
/// problems it answers with, as the endpoint declares them (<see cref="ResponseExampleAttribute"/>,
/// <see cref="RequestExampleAttribute"/>, <see cref="ProblemAnswersAttribute"/>; its summary by ASP.NET Core's
/// <c>[EndpointSummary]</c>), so that a reader of /openapi/v1.json sees what a real answer looks like; the API key
/// scheme; the problems every operation may answer, each described by the schema inferred from <see cref="ProblemDocument"/>.
/// </summary>
public static class OpenApiExamples
{
    public const string SecuritySchemeName = "ApiKey";

    /// <summary>Every problem an operation can answer with; which ones apply follows from its policy and method.</summary>
    private static readonly Dictionary<string, string> ProblemDescriptions = new()
    {
        ["400"] = "Bad input: a problem document whose errors name each wrong field (JSON path or query parameter); nothing was recorded.",
        ["401"] = "No X-Api-Key (where reads without a key are not allowed), or a key this service does not know.",
        ["403"] = "The key's role does not include the one this operation needs (reader < auditor < writer < admin).",
        ["404"] = "Unknown entity, concept, period, figure, document or policy change.",
        ["409"] = "The document is already loaded from a different package (the differing figures are listed), or another load wrote it, or registered an entity this one registers, at the same time.",
        ["413"] = "The body is larger than the package limit (32 MiB); nothing was recorded.",
        ["415"] = "The body is not sent as application/json; nothing was recorded.",
        ["422"] = "The Idempotency-Key was already used with a different body.",
        ["429"] = "The key (or address, without a key) used up its requests for the minute; Retry-After says when to come back.",
        ["500"] = "An unexpected failure; the document quotes only the correlation id under which the log holds the details.",
        ["503"] = "The views are being rebuilt from the event log, the database does not answer, or (loading a package) every ingestion slot is busy; Retry-After says when to come back.",
    };

    public static void Add(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas?.Remove("IResult");
            OmittedNulls.Apply(document);
            ChoicesByShape.Apply(document);
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
                Description = "An API key from Ledger:ApiKeys (role reader, auditor, writer or admin); the embedded default prints a generated writer key on its first start.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var key = $"{context.Description.HttpMethod} {context.Description.RelativePath}";
            // An endpoint that answers with IResult has no schema to infer: its answers are described below, not as "IResult".
            foreach (var media in operation.Responses?.Values.SelectMany(r => r.Content?.Values ?? []) ?? [])
                if (media is OpenApiMediaType { Schema: OpenApiSchemaReference { Reference.Id: "IResult" } } typed) typed.Schema = null;
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();
            if (metadata.OfType<ResponseExampleAttribute>().LastOrDefault() is { } example)
            {
                // The schema inferred from an endpoint's response record stays; the example from the seeds goes beside it.
                var status = key.StartsWith("POST api/disclosures", StringComparison.Ordinal) ? "201" : "200";
                var inferred = operation.Responses.TryGetValue(status, out var r) && r.Content?.TryGetValue("application/json", out var m) == true ? m.Schema : null;
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = inferred, Example = JsonNode.Parse(example.Json) } },
                };
            }
            if (metadata.OfType<RequestExampleAttribute>().LastOrDefault() is { } request)
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "A disclosure package (see GET /api/disclosures/schema).",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Example = JsonNode.Parse(request.Json) } },
                };

            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            var policy = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault();
            var problems = metadata.OfType<ProblemAnswersAttribute>().SelectMany(p => p.Statuses).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (!anonymous)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] }];
                problems.Add("401");
                if (policy is Policies.Verify or Policies.Write or Policies.Admin) problems.Add("403");
            }
            problems.Add("429");
            problems.Add("500");
            // Every /api route but the static schema waits out a rebuild of the views (Database/RebuildGate.cs).
            if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true && context.Description.RelativePath != "api/disclosures/schema")
                problems.Add("503");
            // Every route refuses a control character in its path or query (Http/RequestText.cs), before the endpoint's own checks.
            problems.Add("400");
            var problem = await ProblemSchemaAsync(context, ct);
            foreach (var status in problems.Distinct().Order(StringComparer.Ordinal))
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = ProblemDescriptions[status],
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                };
            if (context.Description.HttpMethod == "GET" && key.StartsWith("GET api/", StringComparison.Ordinal))
                operation.Responses["304"] = new OpenApiResponse { Description = "Not modified: the If-None-Match header named the response's current ETag." };
        });
    }

    /// <summary>Every problem's schema, inferred from <see cref="ProblemDocument"/> once and referred to by each problem answer.</summary>
    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        const string id = nameof(ProblemDocument);
        if (context.Document is not { } document) return await context.GetOrCreateSchemaAsync(typeof(ProblemDocument), cancellationToken: ct);
        if (document.Components?.Schemas?.ContainsKey(id) != true)
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(typeof(ProblemDocument), cancellationToken: ct));
        return new OpenApiSchemaReference(id, document);
    }
}
