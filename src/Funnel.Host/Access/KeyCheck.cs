using Funnel.Host.Tenancy;

namespace Funnel.Host.Access;

/// <summary>
/// How a presented key is checked, for an API call and for the dashboard's sign-in alike. A key this service has found
/// before is looked up whatever its address did (its revocation must be seen); any other costs a lookup, which an
/// address that caused too many refusals is not given, nor a value of the wrong shape.
/// </summary>
public sealed class KeyCheck(ApiKeyStore keys, RefusalBudget budget, StartedTenants served)
{
    /// <summary>The live key, or why it is refused (with the key when one was found: its name is logged).</summary>
    public async Task<(ApiKey? Key, KeyRefusal? Refusal)> CheckAsync(HttpContext http, string secret)
    {
        var unseen = keys.Recognises(secret) ? null
            : budget.Exhausted(http) ? KeyRefusal.TooManyRefusals
            : !ApiKey.IsWellFormed(secret) ? KeyRefusal.Malformed
            : null;
        if (unseen is not null)
        {
            return (null, unseen);
        }

        var key = await keys.FindAsync(secret, http.RequestAborted);
        return KeyRefusal.Refuses(key, served, out var refusal) ? (key, refusal) : (key, null);
    }
}
