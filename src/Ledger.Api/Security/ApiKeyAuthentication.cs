using System.Security.Claims;
using System.Text.Encodings.Web;
using Ledger.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header. No header: anonymous (the read policy decides whether that
/// is enough). A header with an unknown key: a 401, even where anonymous reads are open, because a client
/// that sends a key expects it to be used.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, UrlEncoder encoder, ApiKeyRegistry keys, FailedKeyLog failedKeys)
    // The base class would log every failed key and every challenge, one line per request; FailedKeyLog sums them up.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values)) return Task.FromResult(AuthenticateResult.NoResult());
        var key = keys.Find(values.ToString());
        if (key is null)
        {
            failedKeys.Refused(Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail("The X-Api-Key is not a key this service knows."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        var sent = Request.Headers.ContainsKey(Header);
        await Problems.Result(StatusCodes.Status401Unauthorized, "Unauthorized",
                sent ? "The X-Api-Key header does not hold a key this service knows." : "Send an API key in the X-Api-Key header.")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault() switch
        {
            Policies.Admin => Roles.Admin,
            Policies.Write => Roles.Writer,
            Policies.Verify => Roles.Auditor,
            _ => Roles.Reader,
        };
        await Problems.Result(Problems.Of(StatusCodes.Status403Forbidden, "Forbidden",
                $"The key '{Context.User.Identity?.Name}' has the role {role}; this needs the role {needed} or above.")
                with { Role = role, RequiredRole = needed })
            .ExecuteAsync(Context);
    }
}

/// <summary>Reading: any key, or no key at all when <c>Ledger:AllowAnonymousReads</c> is true.</summary>
public sealed class ReadRequirement : IAuthorizationRequirement;

public sealed class ReadRequirementHandler(ApiKeyRegistry keys) : AuthorizationHandler<ReadRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadRequirement requirement)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true ? Roles.All.Any(user.IsInRole) : keys.AllowAnonymousReads && !SentAKey(context))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private static bool SentAKey(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http && http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header);
}

/// <summary>Verifying, writing or administering: a key whose role includes the one required.</summary>
public sealed class RoleAtLeastRequirement(string role) : AuthorizationHandler<RoleAtLeastRequirement>, IAuthorizationRequirement
{
    public string Role { get; } = role;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleAtLeastRequirement requirement)
    {
        if (context.User.FindFirstValue(ClaimTypes.Role) is { } role && Roles.Includes(role, requirement.Role)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
