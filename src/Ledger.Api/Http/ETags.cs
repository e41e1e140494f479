namespace Ledger.Api.Http;

/// <summary>
/// Every successful read of the API carries a strong ETag (a digest of the body), and a request whose
/// <c>If-None-Match</c> names it gets a 304 without the body. Views change only when events arrive, so a
/// client polling a statement pays for the bytes only when something was recorded.
/// </summary>
public static class ETags
{
    public static void UseETags(this WebApplication app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }
        var original = http.Response.Body;
        await using var buffer = new HashedBody();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        if (Methods.IsHead(http))
        {
            // Headers only, as the GET would have them: the same ETag, and the length of the body it would send.
            if (http.Response.StatusCode == StatusCodes.Status200OK)
            {
                http.Response.Headers.ETag = buffer.Tag();
                http.Response.Headers.CacheControl = "private, no-cache";
            }
            http.Response.ContentLength = buffer.Length;
            return;
        }
        if (http.Response.StatusCode == StatusCodes.Status200OK)
        {
            var tag = buffer.Tag();
            http.Response.Headers.ETag = tag;
            // Clients may keep a copy but must ask again before using it.
            http.Response.Headers.CacheControl = "private, no-cache";
            if (Matches(http.Request.Headers.IfNoneMatch.ToString(), tag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                http.Response.ContentLength = null;
                http.Response.Headers.ContentType = default;
                return;
            }
        }
        // The answer is whole: a deadline of the read (ExpensiveReads) must not cut it in half once sending began, and the
        // server itself stops writing to a client that left.
        await buffer.WriteToAsync(original, CancellationToken.None);
    });

    private static bool Matches(string ifNoneMatch, string tag) =>
        ifNoneMatch.Length > 0 && ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == tag || t == "W/" + tag);
}
