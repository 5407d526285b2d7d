namespace Funnel.Domain.Access;

/// <summary>A request for a new API key: a name (recorded as the actor of what the key does), its tenant, its scopes and its request rate.</summary>
public sealed record CreateApiKey(string? Name, string? Tenant, IReadOnlyList<string>? Scopes, int? RequestsPerSecond = null)
{
    /// <summary>Past this, a key's rate is a mistake, not a limit.</summary>
    public const int MaxRequestsPerSecond = 100_000;

    /// <summary>The first thing wrong with the request, or null; <paramref name="nameTaken"/> says whether a key already has the name.</summary>
    public Rejection? Check(bool nameTaken)
    {
        var unknown = (Scopes ?? []).FirstOrDefault(s => !Access.Scopes.All.Contains(s, StringComparer.Ordinal));
        return Rejection.FirstOf(
            Identifiers.IsValid(Name) ? null : Rejection.Invalid("name", "identifier", Identifiers.Rule),
            Tenant is null || Tenants.IsValid(Tenant) ? null : Rejection.Invalid("tenant", "tenant-id", Tenants.Rule),
            Scopes is null or { Count: 0 } ? Rejection.Invalid("scopes", "required", $"scopes lists at least one of {string.Join(", ", Access.Scopes.All)}.") : null,
            unknown is null ? null : Rejection.Invalid("scopes", "one-of", $"'{unknown}' is not a scope; the scopes are {string.Join(", ", Access.Scopes.All)}."),
            RequestsPerSecond is null or (> 0 and <= MaxRequestsPerSecond) ? null : Rejection.Invalid("requestsPerSecond", "range", $"requestsPerSecond is from 1 to {MaxRequestsPerSecond:N0}."),
            nameTaken ? Rejection.Conflict("name", "key-exists", $"A key named '{Name}' exists; revoke it or choose another name.") : null);
    }

    /// <summary>Whether the request asks for more than its maker holds: a scope it lacks, or a higher rate.</summary>
    public Rejection? BeyondGrant(IReadOnlyCollection<string> holderScopes, int holderRate)
    {
        var lacking = (Scopes ?? []).FirstOrDefault(s => !holderScopes.Contains(s, StringComparer.Ordinal));
        return Rejection.FirstOf(
            lacking is null ? null : Rejection.Invalid("scopes", "beyond-own-grant", $"A key grants only scopes it holds itself, and it does not hold {lacking}."),
            RequestsPerSecond > holderRate ? Rejection.Invalid("requestsPerSecond", "beyond-own-grant", $"A key grants at most its own rate, {holderRate} requests per second.") : null);
    }
}
