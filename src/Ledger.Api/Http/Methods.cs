using Microsoft.AspNetCore.Routing.Template;

namespace Ledger.Api.Http;

/// <summary>
/// HEAD for every read (answered as the GET would be, headers only: same ETag and length), and 405 with
/// <c>Allow</c> for an address that exists under other methods, instead of a 404.
/// </summary>
public static class Methods
{
    private const string HeadKey = "ledger.head";

    public static bool IsHead(HttpContext http) => http.Items.ContainsKey(HeadKey);

    /// <summary>Must run before routing: the request is routed as a GET, and its body is never sent.</summary>
    public static void UseHeadAsGet(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsHead(http.Request.Method) || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }
        http.Items[HeadKey] = true;
        http.Request.Method = HttpMethods.Get;
        // The server must know it answers a HEAD when the headers go out, or it expects the body Content-Length promises.
        http.Response.OnStarting(() =>
        {
            http.Request.Method = HttpMethods.Head;
            return Task.CompletedTask;
        });
        var body = http.Response.Body;
        http.Response.Body = Stream.Null;
        try { await next(http); }
        finally { http.Response.Body = body; }
    });

    /// <summary>The answer for an /api address no endpoint takes: 405 naming the methods it does take, or 404.</summary>
    public static IResult NoEndpoint(HttpContext http, EndpointDataSource endpoints)
    {
        var path = http.Request.Path.Value ?? "";
        var allowed = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("**", StringComparison.Ordinal)
                        && new TemplateMatcher(TemplateParser.Parse(raw.TrimStart('/')), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (allowed.Count == 0) return Problems.NotFound($"No endpoint answers {http.Request.Method} {path}; see /openapi/v1.json.");
        if (allowed.Contains(HttpMethods.Get)) allowed.Add(HttpMethods.Head);
        http.Response.Headers.Allow = string.Join(", ", allowed);
        return Problems.Result(StatusCodes.Status405MethodNotAllowed, "Method not allowed",
            $"{path} answers {string.Join(", ", allowed)}, not {http.Request.Method}.");
    }
}
