namespace Ledger.Api.Http;

/// <summary>
/// Headers that tell a browser how little it may do with our responses. The workbench (/ui, and "/" which redirects
/// there) may load its own scripts, styles and data and nothing else, inline code and styles included (charts.js
/// draws SVG with classes, not style attributes); no page of ours may be framed; no URL leaks in a Referer. API
/// responses are data, never a document: they may load nothing at all.
/// </summary>
public static class BrowserHeaders
{
    public const string WorkbenchPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static void UseBrowserHeaders(this WebApplication app) => app.Use(async (http, next) =>
    {
        // Set when the response starts, so that error handlers (which clear headers) cannot drop them.
        http.Response.OnStarting(() =>
        {
            var path = http.Request.Path;
            var workbench = path == "/" || path.StartsWithSegments("/ui");
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = workbench ? WorkbenchPolicy : DataPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        await next(http);
    });
}
