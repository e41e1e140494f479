using Microsoft.OpenApi;

namespace Ledger.Api.Http;

/// <summary>
/// The answers leave nulls out (<see cref="Problems.Configure"/>), but the schemas ASP.NET Core infers from the response
/// records list every constructor parameter without a default as required, nullable or not: a figure never restated
/// would be described as missing its required <c>original</c>, and a client generated from the description would refuse
/// it. So a property that may be null is not required: absent is how the answer says null. Checked against real answers
/// and the examples (<c>Views/OpenApiSchemaTests</c>).
/// </summary>
internal static class OmittedNulls
{
    public static void Apply(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
            Apply(schema);
    }

    public static void Apply(IOpenApiSchema schema)
    {
        // A reference is described where it is defined, among the components.
        if (schema is not OpenApiSchema own) return;
        foreach (var (name, property) in own.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (MayBeNull(property)) own.Required?.Remove(name);
            Apply(property);
        }
        if (own.Items is { } items) Apply(items);
        if (own.AdditionalProperties is { } values) Apply(values);
        foreach (var choice in (own.OneOf ?? []).Concat(own.AnyOf ?? []).Concat(own.AllOf ?? [])) Apply(choice);
    }

    /// <summary>
    /// Null among its types, among its choices (how a nullable reference is written), or among its values (a nullable
    /// enum). A bare reference is never null: ASP.NET Core wraps a nullable one in a choice.
    /// </summary>
    private static bool MayBeNull(IOpenApiSchema property) =>
        property is OpenApiSchema own &&
        ((own.Type is { } type && type.HasFlag(JsonSchemaType.Null)) ||
         (own.OneOf ?? []).Concat(own.AnyOf ?? []).Any(MayBeNull) ||
         (own.Enum ?? []).Any(v => v is null || v.GetValueKind() == System.Text.Json.JsonValueKind.Null));
}
