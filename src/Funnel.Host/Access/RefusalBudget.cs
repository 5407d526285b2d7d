using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Access;

/// <summary>
/// How many refused calls (no key, a malformed or unknown key, a failed sign-in) a client address may make: a token
/// bucket per address, looked at before any key lookup, so a flood of made-up keys costs neither queries nor log lines.
/// The address is the connection's, or the one a trusted proxy forwarded (<see cref="Http.ProxySettings"/>).
/// </summary>
public sealed class RefusalBudget : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> limiter;

    public RefusalBudget(IOptions<AccessSettings> settings)
    {
        var (perSecond, burst) = (Math.Max(1, settings.Value.RefusalsPerSecond), Math.Max(1, settings.Value.RefusalBurst));
        limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(AddressOf(http), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, perSecond),
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }));
    }

    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "(unknown)";

    /// <summary>Whether the caller's address has used up its refusals: then it is refused again without further work.</summary>
    /// <remarks>
    /// Not AttemptAcquire(0): the bucket refills in fractions of a token, and asks only for more than none, so it says yes
    /// with less than one refusal left.
    /// </remarks>
    public bool Exhausted(HttpContext http) => limiter.GetStatistics(http) is not { CurrentAvailablePermits: >= 1 };

    /// <summary>Counts one refusal against the caller's address.</summary>
    public void Spend(HttpContext http) => limiter.AttemptAcquire(http, 1).Dispose();

    public void Dispose() => limiter.Dispose();
}
