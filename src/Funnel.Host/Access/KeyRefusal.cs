using System.Diagnostics.CodeAnalysis;

namespace Funnel.Host.Access;

/// <summary>Why a caller's key is refused, and what the caller is told: one wording for HTTP calls and messages.</summary>
public sealed record KeyRefusal(string Rule, string Detail)
{
    public static KeyRefusal Missing(string how) => new("missing-key", $"This call needs an API key: {how}.");

    /// <summary>Whether a presented key is refused: unknown (null) or revoked. When it is not, it is a live key.</summary>
    public static bool Refuses([NotNullWhen(false)] ApiKey? key, [NotNullWhen(true)] out KeyRefusal? refusal)
    {
        refusal = key switch
        {
            null => new("unknown-key", "No key has this value."),
            { RevokedAt: not null } => new("revoked-key", $"The key '{key.Id}' was revoked."),
            _ => null,
        };
        return refusal is not null;
    }

    public static KeyRefusal MissingScope(string? keyName, string scope) => new("missing-scope", $"The key '{keyName}' does not hold the scope {scope}.");
}
