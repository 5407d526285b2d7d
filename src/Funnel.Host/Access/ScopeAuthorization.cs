using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Funnel.Host.Access;

/// <summary>The scope an endpoint requires: a policy of that name. On a Wolverine endpoint as an attribute; on a mapped route by RequireAuthorization.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresScopeAttribute(string scope) : AuthorizeAttribute(scope);

/// <summary>A key holding <see cref="Scope"/> (any valid key when null); on an open service, also a caller presenting none.</summary>
public sealed record ScopeRequirement(string? Scope) : IAuthorizationRequirement;

/// <summary>
/// Grants a <see cref="ScopeRequirement"/> to a key holding the scope, and on an open service to a caller sending no key.
/// Not named …Handler: Wolverine would take a class so named for a message handler.
/// </summary>
public sealed class ScopeAuthorizer(AccessMode mode) : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var open = !mode.Required && context.Resource is HttpContext http && ApiKeyAuthentication.Presented(http.Request) is null;
        var holds = context.User.Identity?.IsAuthenticated == true && (requirement.Scope is null || context.User.HasClaim(ApiKeyAuthentication.ScopeClaim, requirement.Scope));
        if (open || holds)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var scope in Scopes.All)
        {
            options.AddPolicy(scope, p => p.AddRequirements(new ScopeRequirement(scope)));
        }

        // An endpoint that names no scope still wants a valid key (health and the API description say AllowAnonymous).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(new ScopeRequirement(null)).Build();
    }
}

/// <summary>A refused key or scope answers problem details naming the header or scope and the rule, and is logged once.</summary>
public sealed class AccessRefusals(AccessLog log, RefusalBudget budget) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler allowed = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await allowed.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var scope = policy.Requirements.OfType<ScopeRequirement>().Select(r => r.Scope).FirstOrDefault(s => s is not null) ?? "";
            var lacking = KeyRefusal.MissingScope(context.User.Identity?.Name, scope);
            await log.RefuseAsync(context, StatusCodes.Status403Forbidden, "scope", lacking.Rule, lacking.Detail, new Dictionary<string, object?> { ["scope"] = scope });
            return;
        }

        var refusal = context.Items[ApiKeyAuthentication.FailureItem] as KeyRefusal
            ?? (budget.Exhausted(context) ? KeyRefusal.TooManyRefusals : KeyRefusal.Missing($"send it as 'Authorization: Bearer <key>' or '{ApiKeyAuthentication.KeyHeader}: <key>'"));
        if (refusal.Status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers.RetryAfter = "1";
        }
        else
        {
            budget.Spend(context);
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await log.RefuseAsync(context, refusal.Status, "Authorization", refusal.Rule, refusal.Detail);
    }
}
