namespace Ledger.Api.Ingestion;

/// <summary>The <c>--url</c> form of the <c>load</c> and <c>import</c> verbs: each file posted to a running service, its answer printed.</summary>
internal static class FilesToService
{
    /// <returns>0 when the service accepted every file, 1 when it refused any.</returns>
    public static async Task<int> PostAsync(string url, string? key, string path, IEnumerable<string> files, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        if (timeout is { } t) http.Timeout = t;
        if (!string.IsNullOrEmpty(key)) http.DefaultRequestHeaders.Add(Security.ApiKeyAuthenticationHandler.Header, key);
        var failures = 0;
        foreach (var file in files)
        {
            var response = await http.PostAsync(path, new ByteArrayContent(await File.ReadAllBytesAsync(file)) { Headers = { ContentType = new("application/json") } });
            Console.WriteLine($"{file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (!response.IsSuccessStatusCode) failures++;
        }
        return failures == 0 ? 0 : 1;
    }
}
