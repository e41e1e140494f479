using System.Net;

namespace Ledger.Api.Http;

/// <summary>
/// Where the service listens: Kestrel's own endpoints (<c>Kestrel:Endpoints:{name}:Url</c>), which override the rest;
/// else <c>--urls</c> or <c>ASPNETCORE_URLS</c> (both land in the <c>urls</c> setting), or <c>ASPNETCORE_HTTP_PORTS</c>;
/// the default address only when none of them is given. It decides whether reads
/// may be open without a key by default (only on loopback).
/// </summary>
public static class ListenAddresses
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The configured URLs, or null when none is configured (then <see cref="DefaultUrl"/> applies).</summary>
    public static string? Configured(IConfiguration configuration)
    {
        // Until 2026-12-07 these were not looked at: a service listening on every interface through them counted as
        // loopback, and its reads were open without a key.
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>()
            .Where(u => !string.IsNullOrWhiteSpace(u)).ToList();
        if (endpoints.Count > 0) return string.Join(';', endpoints);
        var urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls)) return urls;
        // HTTP_PORTS binds every interface: Kestrel reads it as http://*:port.
        var ports = configuration["http_ports"];
        return string.IsNullOrWhiteSpace(ports)
            ? null
            : string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
    }

    public static IReadOnlyList<string> Of(IConfiguration configuration) =>
        (Configured(configuration) ?? DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when every address is a loopback one (localhost, 127.0.0.0/8, [::1]); *, +, 0.0.0.0 and names are not.</summary>
    public static bool AllLoopback(IEnumerable<string> urls) => urls.All(IsLoopback);

    public static bool IsLoopback(string url)
    {
        // "http://*:5080" and "http://+:5080" are not URIs that System.Uri accepts; they mean every interface.
        var afterScheme = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        if (afterScheme.StartsWith('*') || afterScheme.StartsWith('+')) return false;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
