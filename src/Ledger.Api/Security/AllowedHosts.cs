using Ledger.Api.Http;

namespace Ledger.Api.Security;

/// <summary>
/// The names the service answers to in the <c>Host</c> header, against DNS rebinding: a page on attacker.example whose
/// name is made to resolve to 127.0.0.1 still sends <c>Host: attacker.example</c>, and is refused. The embedded default
/// answers only to loopback names; a configured deployment to any name unless <c>Ledger:AllowedHosts</c> says which
/// (a list, or one string separated by semicolons; <c>*.example.com</c> matches subdomains, <c>*</c> anything).
/// </summary>
public sealed class AllowedHosts
{
    public static readonly IReadOnlyList<string> Loopback = ["localhost", "127.0.0.1", "[::1]"];

    private readonly string[] _names;

    public AllowedHosts(IEnumerable<string> names) => _names = names.Select(Normalize).Where(n => n.Length > 0).Distinct().ToArray();

    public bool AnyHost => _names.Contains("*");

    public IReadOnlyList<string> Names => _names;

    public static AllowedHosts From(IConfiguration configuration, bool embedded)
    {
        var section = configuration.GetSection("Ledger:AllowedHosts");
        var listed = section.Get<string[]>() is { Length: > 0 } list ? list : (section.Value ?? "").Split(';');
        var names = listed.Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        return new AllowedHosts(names.Count > 0 ? names : embedded ? Loopback : ["*"]);
    }

    /// <summary>Whether a Host header value (with or without port) names this service. No Host at all (HTTP/1.0) is no rebinding.</summary>
    public bool Allows(HostString host)
    {
        if (AnyHost || !host.HasValue) return true;
        var name = Normalize(host.Host);
        foreach (var allowed in _names)
        {
            if (allowed == name) return true;
            if (allowed.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(allowed[1..], StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static string Normalize(string name) => name.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    public override string ToString() => AnyHost ? "any name" : string.Join(", ", _names.Select(n => n.Contains(':') ? $"[{n}]" : n));
}

public static class AllowedHostsMiddleware
{
    public static void UseAllowedHosts(this WebApplication app, AllowedHosts hosts)
    {
        if (hosts.AnyHost) return;
        app.Use(async (http, next) =>
        {
            if (hosts.Allows(http.Request.Host)) { await next(http); return; }
            // The sent name is not echoed: the answer says which names are taken, which is all a legitimate caller needs.
            var detail = $"this service answers only to {hosts} (Ledger:AllowedHosts)";
            await Problems.Result(Problems.Field(StatusCodes.Status400BadRequest, "Bad request", $"Host: {detail}", "Host", detail))
                .ExecuteAsync(http);
        });
    }
}
