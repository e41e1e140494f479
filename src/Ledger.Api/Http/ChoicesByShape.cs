using Microsoft.OpenApi;

namespace Ledger.Api.Http;

/// <summary>
/// An answer that is one of several records (the figure list's pages, <c>Figures/FiguresPage</c>) is written as the
/// record it is, with no type member: ASP.NET Core still names one (<c>$type</c>) as the choice's discriminator, which
/// no answer carries. The discriminator goes; a client tells the choices apart by their shapes.
/// </summary>
internal static class ChoicesByShape
{
    public static void Apply(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
            if (schema.Discriminator is { PropertyName: "$type" } && !(schema.Properties?.ContainsKey("$type") ?? false))
                schema.Discriminator = null;
    }
}
