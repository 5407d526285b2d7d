using Funnel.Projections;
using Wolverine.Http.Runtime.MultiTenancy;

namespace Funnel.Host.Tenancy;

/// <summary>
/// The tenant a request acts in: its key's (a claim set by the key's authentication); the default tenant for an open
/// service called without a key, and for the command line. Every Marten session and report connection of the request
/// is opened in it, so nothing a request does can reach another tenant's data.
/// </summary>
public static class CallerTenant
{
    public static string Of(HttpContext? http) => http?.User.FindFirst(ApiKeyAuthentication.TenantClaim)?.Value ?? Tenants.Default;

    /// <summary>Wolverine's endpoints and their sessions (Wolverine opens Marten sessions for its message context's tenant).</summary>
    public static void DetectIn(WolverineHttpOptions options) => options.TenantId.DetectWith(new KeyTenantDetection());

    private sealed class KeyTenantDetection : ITenantDetection
    {
        public ValueTask<string?> DetectTenant(HttpContext context) => ValueTask.FromResult<string?>(TenantStorage.MartenId(Of(context)));
    }
}
