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
public sealed class MessageAccess(ApiKeyStore keys, AccessMode mode, ILogger<MessageAccess> logger)
{
    public const string KeyHeader = "funnel-api-key";
    public const string ActorHeader = "funnel-actor";

    /// <summary>The key the message was sent with, null on an open service when it carries none; else it throws.</summary>
    public async Task<ApiKey?> CheckAsync(Envelope? envelope, string scope, CancellationToken ct)
    {
        var secret = envelope?.Headers.GetValueOrDefault(KeyHeader);
        if (string.IsNullOrWhiteSpace(secret))
        {
            return mode.Required ? throw Refuse(envelope, null, "missing-key", $"A message needs an API key in the header {KeyHeader}.") : null;
        }

        var key = await keys.FindAsync(secret.Trim(), ct);
        return key switch
        {
            null => throw Refuse(envelope, null, "unknown-key", "No key has this value."),
            { RevokedAt: not null } => throw Refuse(envelope, key, "revoked-key", $"The key '{key.Id}' was revoked."),
            _ when !key.Scopes.Contains(scope) => throw Refuse(envelope, key, "missing-scope", $"The key '{key.Id}' does not hold the scope {scope}."),
            _ => key,
        };
    }

    private AccessRefusedException Refuse(Envelope? envelope, ApiKey? key, string rule, string message)
    {
        logger.LogWarning("Access refused message {Reason}: key {KeyName}, tenant {Tenant}, {MessageType}", rule, key?.Id ?? "(none)", key?.Tenant ?? "(none)", envelope?.MessageType ?? "(unknown)");
        return new AccessRefusedException(rule, message);
    }
}
