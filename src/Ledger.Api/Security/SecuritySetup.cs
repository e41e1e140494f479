using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Ledger.Api.Database;
using Ledger.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace Ledger.Api.Security;

/// <summary>Authentication by API key, the policies, deny by default, and rate limits per key.</summary>
public static class SecuritySetup
{
    public const int DefaultPermitsPerMinute = 600;

    /// <summary>
    /// Builds the key registry: the configured keys; with none, on the embedded default, the generated writer
    /// key; otherwise none at all, and then only anonymous reads can succeed. <paramref name="say"/> is the start-up
    /// log and never sees a key; <paramref name="terminal"/> is given only when standard output is an interactive
    /// terminal (not journald, not a container log), and shows the new key once.
    /// </summary>
    public static ApiKeyRegistry Keys(IConfiguration configuration, LedgerDatabase database, TimeProvider clock, Action<string> say, Action<string>? terminal = null)
    {
        var settings = configuration.GetSection("Ledger:ApiKeys").Get<List<ApiKeySetting>>() ?? [];
        var keys = ApiKeyRegistry.FromSettings(settings).ToList();
        var embedded = database.Source == "embedded";
        var origin = keys.Count > 0 ? $"{keys.Count} key(s) from Ledger:ApiKeys" : "no keys";
        if (keys.Count == 0 && embedded && database.DataDirectory is { } dir)
        {
            var (key, plain) = GeneratedWriterKey.LoadOrCreate(dir, clock);
            keys.Add(key);
            origin = $"the writer key generated on first start (its SHA-256 is in {Path.Combine(dir, GeneratedWriterKey.FileName)}; the key, unless deleted, in {Path.Combine(dir, GeneratedWriterKey.PlainTextFileName)})";
            var url = ListenAddresses.Of(configuration)[0].TrimEnd('/');
            var keyFile = Path.Combine(dir, GeneratedWriterKey.PlainTextFileName);
            if (plain is not null)
            {
                say($"A writer key was generated for this ledger; it is in {keyFile} (readable by this user only). To use your own keys instead, configure Ledger:ApiKeys (see README).");
                terminal?.Invoke($"""

                    The generated writer key (shown here because this is a terminal; it is also in {keyFile}):

                        X-Api-Key: {plain}

                    Load a package:  curl -H "X-Api-Key: $(cat {keyFile})" -H "Content-Type: application/json" --data-binary @package.json {url}/api/disclosures

                    """);
            }
        }
        // Open reads are the quick start's convenience, on loopback only: listening beyond it they must be asked for.
        var listen = ListenAddresses.Of(configuration);
        var loopback = ListenAddresses.AllLoopback(listen);
        var configuredReads = configuration.GetValue<bool?>("Ledger:AllowAnonymousReads");
        var anonymousReads = configuredReads ?? (embedded && loopback);
        var reason = configuredReads is not null ? "set by Ledger:AllowAnonymousReads"
            : !embedded ? "a configured database; set Ledger:AllowAnonymousReads=true to open them"
            : loopback ? "the embedded default on loopback; Ledger:AllowAnonymousReads=false closes them"
            : $"the service listens beyond loopback ({string.Join(", ", listen)}); set Ledger:AllowAnonymousReads=true to open them";
        return new ApiKeyRegistry(keys, anonymousReads, origin, reason);
    }

    public static void AddLedgerSecurity(this WebApplicationBuilder builder, ApiKeyRegistry keys)
    {
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton<FailedKeyLog>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, ReadRequirementHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.AddRequirements(new ReadRequirement()))
            .AddPolicy(Policies.Verify, p => p.AddRequirements(new RoleAtLeastRequirement(Roles.Auditor)))
            .AddPolicy(Policies.Write, p => p.AddRequirements(new RoleAtLeastRequirement(Roles.Writer)))
            .AddPolicy(Policies.Admin, p => p.AddRequirements(new RoleAtLeastRequirement(Roles.Admin)))
            // Deny by default: an endpoint that declares nothing needs the admin role (and a test finds it).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new RoleAtLeastRequirement(Roles.Admin)).Build());

        var defaultPermits = builder.Configuration.GetValue<int?>("Ledger:RateLimit:PermitsPerMinute") ?? DefaultPermitsPerMinute;
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // Health is limited too (it counts the event store): a probe a second is far below any sensible limit.
                var name = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirstValue(ClaimTypes.Name)! : null;
                var permits = (name is null ? null : keys.PermitsPerMinuteOf(name)) ?? defaultPermits;
                var partition = name is null ? $"anonymous:{AddressBlock(http.Connection.RemoteIpAddress)}" : $"key:{name}";
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.Result(Problems.Of(StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This key (or address, without a key) has used its requests for this minute; retry after {retryAfter} s.")
                    with { RetryAfterSeconds = retryAfter }).ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>Callers without a key are counted per address; an IPv6 caller per /64, which one host can fill at will.</summary>
    internal static string AddressBlock(System.Net.IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    /// <summary>Who is calling, in order: authenticate, limit per caller, then authorize.</summary>
    public static void UseLedgerSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }
}
