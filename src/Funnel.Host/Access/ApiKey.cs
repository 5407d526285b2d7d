using System.Security.Cryptography;
using System.Text;

namespace Funnel.Host.Access;

/// <summary>An API key as stored: its name (the actor of what it does), tenant, scopes and rate; the key itself only as a hash.</summary>
public sealed class ApiKey
{
    /// <summary>
    /// "{tenant}/{name}" (<see cref="IdOf"/>), so each tenant has names of its own; a key made before that has its bare
    /// name. A revoked key keeps it, so an actor in a tenant's history never names two keys.
    /// </summary>
    public string Id { get; set; } = "";

    /// <summary>The key's name: the actor of what it does.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name => Id[(Id.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public static string IdOf(string tenant, string name) => $"{tenant}/{name}";

    public string Tenant { get; set; } = "";

    public List<string> Scopes { get; set; } = [];

    public string Hash { get; set; } = "";

    public int RequestsPerSecond { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    private const string Prefix = "fk_";

    /// <summary>256 bits in unpadded base64url.</summary>
    private const int SecretLength = 43;

    /// <summary>"fk_" and 256 random bits: the prefix makes a leaked key easy to find in logs and code scanners.</summary>
    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>What every key looks like, so a made-up value is refused without asking the store.</summary>
    public const string Shape = "'fk_' and 43 characters of A-Z, a-z, 0-9, '-' and '_'";

    /// <summary>Whether <paramref name="secret"/> has the shape of a key <see cref="NewSecret"/> makes.</summary>
    public static bool IsWellFormed(string secret) =>
        secret.Length == Prefix.Length + SecretLength && secret.StartsWith(Prefix, StringComparison.Ordinal)
        && !secret.AsSpan(Prefix.Length).ContainsAnyExcept(SecretAlphabet);

    private static readonly System.Buffers.SearchValues<char> SecretAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// SHA-256 of the key. A key is 256 random bits, not a password a person chose, so there is no dictionary to slow down:
    /// a fast hash is safe, and lets a request find its key by an index lookup.
    /// </summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>What the API and the command line show of a key: never its hash.</summary>
public sealed record ApiKeyView(string Name, string Tenant, IReadOnlyList<string> Scopes, int RequestsPerSecond, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyView Of(ApiKey key) => new(key.Name, key.Tenant, key.Scopes, key.RequestsPerSecond, key.CreatedAt, key.RevokedAt);
}

/// <summary>A key just created: the only time its secret is shown.</summary>
public sealed record CreatedApiKey(string Name, string Tenant, IReadOnlyList<string> Scopes, int RequestsPerSecond, string Key);
