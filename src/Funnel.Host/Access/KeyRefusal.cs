using System.Diagnostics.CodeAnalysis;
using Funnel.Host.Tenancy;

namespace Funnel.Host.Access;

/// <summary>Why a caller's key is refused, and what the caller is told: one wording for HTTP calls and messages.</summary>
public sealed record KeyRefusal(string Rule, string Detail, int Status = StatusCodes.Status401Unauthorized)
{
    public static KeyRefusal Missing(string how) => new("missing-key", $"This call needs an API key: {how}.");

    public static readonly KeyRefusal Malformed = new("malformed-key", $"This is not an API key: a key is {ApiKey.Shape}.");

    /// <summary>An address that caused too many refusals is refused before its key is looked at (<see cref="RefusalBudget"/>).</summary>
    public static readonly KeyRefusal TooManyRefusals =
        new("too-many-refusals", "Too many refused calls came from this address; retry later with a valid key.", StatusCodes.Status429TooManyRequests);

    /// <summary>
    /// Whether a presented key is refused: unknown (null), revoked, or of a tenant created after this process started
    /// (which has no read models here until it starts again). When it is not, it is a live key.
    /// </summary>
    public static bool Refuses([NotNullWhen(false)] ApiKey? key, StartedTenants served, [NotNullWhen(true)] out KeyRefusal? refusal)
    {
        refusal = key switch
        {
            null => new("unknown-key", "No key has this value."),
            { RevokedAt: not null } => new("revoked-key", $"The key '{key.Name}' was revoked."),
            _ when !served.Contains(key.Tenant) => new("tenant-not-served", $"The tenant '{key.Tenant}' was created after this service started; restart the service to serve it."),
            _ => null,
        };
        return refusal is not null;
    }

    public static KeyRefusal MissingScope(string? keyName, string scope) => new("missing-scope", $"The key '{keyName}' does not hold the scope {scope}.");

    /// <summary>A key used for another tenant than its own (a message addressed to another tenant, keys of another tenant).</summary>
    public static KeyRefusal OtherTenant(ApiKey key, string tenant) =>
        new("other-tenant", $"The key '{key.Name}' belongs to the tenant '{key.Tenant}' and cannot act in the tenant '{tenant}'.");
}
