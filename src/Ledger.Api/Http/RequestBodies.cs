namespace Ledger.Api.Http;

/// <summary>Request bodies read within a limit, whatever the client claims about their length.</summary>
public static class RequestBodies
{
    /// <summary>
    /// The body, or null when it exceeds <paramref name="limit"/> bytes: at most one byte past the limit is read, so that
    /// a chunked body without a length cannot exhaust memory.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) return null;
        }
        return buffer.ToArray();
    }

    /// <summary>application/json or a +json type (any charset).</summary>
    public static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Value is { } media
        && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static IResult NotJson(string what) =>
        Problems.Result(Problems.Field(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
            $"Content-Type: {what} is JSON; send it as application/json.", "Content-Type", "must be application/json"));
}
