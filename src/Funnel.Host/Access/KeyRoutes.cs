namespace Funnel.Host.Access;

/// <summary>Keys over the API, for holders of keys:admin: a key manages its own tenant's keys (on an open service, any tenant's).</summary>
public static class KeyRoutes
{
    public const string Tag = "Access";

    public static void MapKeyRoutes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/keys", CreateAsync)
            .WithName("createKey").WithSummary("Creates an API key; the answer is the only time the key itself is shown.").WithTags(Tag)
            .Accepts<CreateApiKey>("application/json").Produces<CreatedApiKey>(StatusCodes.Status201Created)
            .WithMetadata(new RefusesAttribute(StatusCodes.Status409Conflict)).WithCommonRefusals(takesBody: true)
            .RequireAuthorization(Scopes.KeysAdmin);
        app.MapGet("/api/keys", ListAsync)
            .WithName("listKeys").WithSummary("The tenant's keys, revoked ones included, by name.").WithTags(Tag)
            .Produces<IReadOnlyList<ApiKeyView>>(StatusCodes.Status200OK).WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.KeysAdmin);
        app.MapDelete("/api/keys/{name}", RevokeAsync)
            .WithName("revokeKey").WithSummary("Revokes a key: from then on it is refused (on other nodes within two seconds).").WithTags(Tag)
            .Produces<ApiKeyView>(StatusCodes.Status200OK).WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.KeysAdmin);
    }

    private static async Task<IResult> CreateAsync(HttpRequest http, ApiKeyStore keys, AccessLog log, Microsoft.Extensions.Options.IOptions<AccessSettings> settings, CancellationToken ct)
    {
        var (request, refusal) = await JsonBody.ReadAsync<CreateApiKey>(http, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var own = OwnTenant(http.HttpContext);
        if (own is not null && request!.Tenant is { } other && other != own)
        {
            // A reach into another tenant: refused and logged like any other refused call.
            await log.RefuseAsync(http.HttpContext, StatusCodes.Status403Forbidden, "tenant", "other-tenant", $"A key creates keys of its own tenant ({own}) only.");
            return Results.Empty;
        }

        if (request!.Check(nameTaken: false) is { } invalid)
        {
            return Problems.From(invalid);
        }

        // A key grants no more than it holds: its scopes, its rate (and by default that rate, when under the service's).
        if (own is not null && http.HttpContext.User is var holder
            && request!.BeyondGrant(holder.FindAll(ApiKeyAuthentication.ScopeClaim).Select(c => c.Value).ToList(), RateOf(holder)) is { } beyond)
        {
            await log.RefuseAsync(http.HttpContext, StatusCodes.Status403Forbidden, beyond.Field, beyond.Rule, beyond.Message);
            return Results.Empty;
        }

        var rate = own is null ? request!.RequestsPerSecond : request!.RequestsPerSecond ?? Math.Min(RateOf(http.HttpContext.User), settings.Value.RequestsPerSecond);
        var (created, rejection) = await keys.CreateAsync(request with { Tenant = request.Tenant ?? own, RequestsPerSecond = rate }, ct);
        return rejection is not null ? Problems.From(rejection) : Results.Created($"/api/keys/{Uri.EscapeDataString(created!.Name)}", created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ApiKeyStore keys, CancellationToken ct) =>
        Results.Ok(await keys.ListAsync(OwnTenant(http), ct));

    private static async Task<IResult> RevokeAsync(string name, HttpContext http, ApiKeyStore keys, CancellationToken ct)
    {
        var (revoked, rejection) = await keys.RevokeAsync(name, OwnTenant(http) ?? Tenants.Default, ct);
        return rejection is not null ? Problems.From(rejection) : Results.Ok(revoked);
    }

    private static int RateOf(System.Security.Claims.ClaimsPrincipal holder) =>
        int.Parse(holder.FindFirst(ApiKeyAuthentication.RateClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The caller's tenant; null on an open service called without a key.</summary>
    private static string? OwnTenant(HttpContext http) => http.User.FindFirst(ApiKeyAuthentication.TenantClaim)?.Value;
}
