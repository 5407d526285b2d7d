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
public sealed class MessageAccess(ApiKeyStore keys, AccessMode mode, AccessLog log)
{
    public const string KeyHeader = "funnel-api-key";
    public const string ActorHeader = "funnel-actor";

    /// <summary>The key the message was sent with, null on an open service when it carries none; else it throws.</summary>
    public async Task<ApiKey?> CheckAsync(Envelope? envelope, string scope, CancellationToken ct)
    {
        var secret = envelope?.Headers.GetValueOrDefault(KeyHeader);
        if (string.IsNullOrWhiteSpace(secret))
        {
            return mode.Required ? throw Refuse(envelope, null, KeyRefusal.Missing($"put it in the message header {KeyHeader}")) : null;
        }

        var key = await keys.FindAsync(secret.Trim(), ct);
        if (KeyRefusal.Refuses(key, out var refusal))
        {
            throw Refuse(envelope, key, refusal);
        }

        return key.Scopes.Contains(scope) ? key : throw Refuse(envelope, key, KeyRefusal.MissingScope(key.Id, scope));
    }

    private AccessRefusedException Refuse(Envelope? envelope, ApiKey? key, KeyRefusal refusal)
    {
        log.RefusedMessage(refusal.Rule, key, envelope?.MessageType);
        return new AccessRefusedException(refusal.Rule, refusal.Detail);
    }
}
