using System.Globalization;
using System.Threading.RateLimiting;
using Funnel.Host.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Funnel.Host.Access;

public static class AccessConfiguration
{
    public const string FirstKeyHint =
        "Create the first key with: dotnet run --project src/Funnel.Host -- keys create --name admin --scopes keys:admin,commands:write,reports:read,events:read,pipelines:admin";

    public static void AddFunnelAccess(this WebApplicationBuilder builder, StorageMode storage)
    {
        var mode = AccessMode.Decide(builder.Configuration, storage);
        builder.Services.AddSingleton(mode);
        builder.Services.Configure<AccessSettings>(builder.Configuration.GetSection(AccessSettings.Section));
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AccessLog>();
        builder.Services.AddSingleton<RefusalBudget>();
        builder.Services.AddSingleton<KeyCheck>();
        builder.Services.AddSingleton<MessageAccess>();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(ScopeAuthorizer.AddPolicies);
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeAuthorizer>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessRefusals>();
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(PerKey);
            o.OnRejected = async (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<AccessLog>().RefuseAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    "Authorization", "rate-limit", $"The key '{context.HttpContext.User.Identity?.Name}' made more than its requests per second; retry after {seconds} s.");
            };
        });
        builder.Services.AddHostedService<AccessStartCheck>();
    }

    /// <summary>
    /// After the request log, before the request guard reads anything of the request: who calls, not too often, and may
    /// they. The key's rate comes before its scopes, so calls refused for a scope spend the key's requests too.
    /// </summary>
    public static void UseFunnelAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapKeyRoutes();
    }

    /// <summary>Each key its own token bucket, refilled in tenths of a second (or per token, for a rate under ten a second).</summary>
    private static RateLimitPartition<string> PerKey(HttpContext http)
    {
        if (http.User.Identity is not { IsAuthenticated: true, Name: { } name }
            || !int.TryParse(http.User.FindFirst(ApiKeyAuthentication.RateClaim)?.Value, CultureInfo.InvariantCulture, out var perSecond))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var periods = Math.Min(perSecond, 10);
        return RateLimitPartition.GetTokenBucketLimiter(name, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = (perSecond + periods - 1) / periods,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / periods),
            QueueLimit = 0,
        });
    }
}

/// <summary>
/// Says at start whether the service is open. A service that requires keys and has none would refuse every caller:
/// it refuses to start instead, and says how to make one.
/// </summary>
internal sealed class AccessStartCheck(AccessMode mode, ApiKeyStore keys) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!mode.Required)
        {
            Console.WriteLine($"Funnel: WARNING: OPEN, no API key required ({mode.Why}). Anyone who reaches this port can write and read everything; Funnel:Auth:Required=true closes it.");
            return;
        }

        if (!await keys.AnyActiveAsync(cancellationToken))
        {
            var refusal = $"Funnel requires API keys ({mode.Why}) and none exists. {AccessConfiguration.FirstKeyHint}";
            await Console.Error.WriteLineAsync(refusal);
            throw new InvalidOperationException(refusal);
        }

        Console.WriteLine($"Funnel: API keys required ({mode.Why}).");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
