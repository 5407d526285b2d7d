using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Access;

/// <summary>Reads the key a caller sends (Authorization: Bearer, or X-Api-Key) and finds who holds it.</summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyCheck check)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The header a key may come in instead of Authorization: Bearer.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>The claims of a key's holder: its tenant, each of its scopes, its rate.</summary>
    public const string TenantClaim = "tenant", ScopeClaim = "scope", RateClaim = "requests-per-second";

    /// <summary>Why the key presented was not accepted (a <see cref="KeyRefusal"/>), for the refusal.</summary>
    public const string FailureItem = "funnel.access.failure";

    public static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.FirstOrDefault();
        var key = request.Headers[KeyHeader].FirstOrDefault()
            ?? (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : null);

        // An empty key is none (a script's unset variable): on an open service the call goes through as it would without.
        return string.IsNullOrWhiteSpace(key) ? null : key.Trim();
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Health probes and the API description take no key: never let a key lookup stand between them and an answer.
        if (Presented(Request) is not { } secret || Context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            return AuthenticateResult.NoResult();
        }

        var (key, refusal) = await check.CheckAsync(Context, secret);
        if (refusal is not null)
        {
            Context.Items[FailureItem] = refusal;
            Context.Items[AccessLog.KeyNameItem] = key?.Name;
            return AuthenticateResult.Fail(refusal.Detail);
        }

        Claim[] claims =
        [
            new(ClaimTypes.Name, key!.Name),
            new(TenantClaim, key.Tenant),
            new(RateClaim, key.RequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            .. key.Scopes.Select(s => new Claim(ScopeClaim, s)),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
