using Funnel.Projections;
using Wolverine;

namespace Funnel.Host.Access;

/// <summary>A message refused for its key: permanent, so it is dead-lettered, never retried.</summary>
public sealed class AccessRefusedException(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}

/// <summary>
/// The message path's door: a message carries its key in the header funnel-api-key (and, like X-Funnel-Actor, the person
/// in funnel-actor). It is held to the same rules as an HTTP call; an open service also takes messages without a key.
/// </summary>
public sealed class MessageAccess(ApiKeyStore keys, AccessMode mode, AccessLog log, Tenancy.StartedTenants served)
{
    public const string KeyHeader = "funnel-api-key";
    public const string ActorHeader = "funnel-actor";

    /// <summary>
    /// The key the message was sent with, null on an open service when it carries none; else it throws. A message is
    /// handled in its envelope's tenant (Wolverine opens its session there), which must be the key's: a key of one
    /// tenant cannot send into another. Without a key (an open service) that is the default tenant.
    /// </summary>
    public async Task<ApiKey?> CheckAsync(Envelope? envelope, string scope, CancellationToken ct)
    {
        var secret = envelope?.Headers.GetValueOrDefault(KeyHeader);
        var tenant = TenantStorage.FromMarten(envelope?.TenantId);
        if (string.IsNullOrWhiteSpace(secret))
        {
            return !mode.Required && tenant == Tenants.Default ? null : throw Refuse(envelope, null, KeyRefusal.Missing($"put it in the message header {KeyHeader}"));
        }

        var key = await keys.FindAsync(secret.Trim(), ct);
        if (KeyRefusal.Refuses(key, served, out var refusal))
        {
            throw Refuse(envelope, key, refusal);
        }

        return !key.Scopes.Contains(scope) ? throw Refuse(envelope, key, KeyRefusal.MissingScope(key.Name, scope))
            : key.Tenant != tenant ? throw Refuse(envelope, key, KeyRefusal.OtherTenant(key, tenant))
            : key;
    }

    private AccessRefusedException Refuse(Envelope? envelope, ApiKey? key, KeyRefusal refusal)
    {
        log.RefusedMessage(refusal.Rule, key, envelope?.MessageType);
        return new AccessRefusedException(refusal.Rule, refusal.Detail);
    }
}
