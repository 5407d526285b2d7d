using System.Collections.Concurrent;
using Funnel.Host.Storage;
using Funnel.Host.Tenancy;
using Funnel.Projections;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Access;

/// <summary>Creates, lists, revokes and finds API keys (Marten documents, the key only as its hash).</summary>
public sealed class ApiKeyStore(IDocumentStore store, TimeProvider clock, IOptions<AccessSettings> settings, Telemetry.FunnelMetrics? metrics = null)
{
    /// <summary>How long a found key is trusted without asking the store again: a revocation reaches other nodes within this.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> found = new(StringComparer.Ordinal);

    /// <summary>The keys' table: a request finds its key by the hash's unique index.</summary>
    public static void Register(StoreOptions options) => options.Schema.For<ApiKey>().SingleTenanted().UniqueIndex(k => k.Hash);

    /// <summary>
    /// Creates a key straight in a store's database, before any service runs on it: for what starts the service itself
    /// (tests, benchmarks) and cannot run the keys command first.
    /// </summary>
    public static async Task<CreatedApiKey> CreateInAsync(string connectionString, CreateApiKey request)
    {
        using var store = await StorageConfiguration.OpenAccessStoreAsync(connectionString);
        var (created, rejection) = await new ApiKeyStore(store, TimeProvider.System, Options.Create(new AccessSettings())).CreateAsync(request, CancellationToken.None);
        return created ?? throw new InvalidOperationException(rejection!.Message);
    }

    public async Task<(CreatedApiKey? Created, Rejection? Rejection)> CreateAsync(CreateApiKey request, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var tenant = request.Tenant ?? Tenants.Default;
        var taken = request.Name is not null && await LoadAsync(session, tenant, request.Name, ct) is not null;
        if ((request.Check(taken) ?? await UnknownTenantAsync(session, request.Tenant, ct)) is { } rejection)
        {
            return (null, rejection);
        }

        var secret = ApiKey.NewSecret();
        var key = new ApiKey
        {
            Id = ApiKey.IdOf(tenant, request.Name!),
            Tenant = tenant,
            Scopes = [.. request.Scopes!.Distinct(StringComparer.Ordinal)],
            Hash = ApiKey.HashOf(secret),
            RequestsPerSecond = request.RequestsPerSecond ?? settings.Value.RequestsPerSecond,
            CreatedAt = clock.GetUtcNow(),
        };

        // Insert, not store: two creations racing for one name, one wins and the other is told.
        session.Insert(key);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return (null, request.Check(nameTaken: true));
        }

        return (new CreatedApiKey(key.Name, key.Tenant, key.Scopes, key.RequestsPerSecond, secret), null);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(string? tenant, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var keys = await session.Query<ApiKey>().Where(k => tenant == null || k.Tenant == tenant).ToListAsync(ct);
        return [.. keys.OrderBy(k => k.Tenant, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal).Select(ApiKeyView.Of)];
    }

    /// <summary>Revokes the tenant's key of that name; revoking a revoked key changes nothing.</summary>
    public async Task<(ApiKeyView? Revoked, Rejection? Rejection)> RevokeAsync(string name, string tenant, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await LoadAsync(session, tenant, name, ct) is not { } key)
        {
            return (null, Rejection.NotFound("name", "unknown-key", $"The tenant '{tenant}' has no key named '{name}'."));
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            session.Store(key);
            await session.SaveChangesAsync(ct);
        }

        found.Clear();
        return (ApiKeyView.Of(key), null);
    }

    /// <summary>A tenant's key by name (one made before names were per tenant has the bare name for its id).</summary>
    private static async Task<ApiKey?> LoadAsync(IQuerySession session, string tenant, string name, CancellationToken ct) =>
        await session.LoadAsync<ApiKey>(ApiKey.IdOf(tenant, name), ct)
        ?? (await session.LoadAsync<ApiKey>(name, ct) is { } legacy && legacy.Tenant == tenant ? legacy : null);

    /// <summary>A key belongs to a tenant that exists (<c>tenants create</c>).</summary>
    private static async Task<Rejection?> UnknownTenantAsync(IQuerySession session, string? tenant, CancellationToken ct) =>
        tenant is null || !Tenants.IsValid(tenant) || await TenantRegistry.ExistsInAsync(session, tenant, ct)
            ? null
            : Rejection.Invalid("tenant", "unknown-tenant", $"There is no tenant '{tenant}'; create it first: dotnet run --project src/Funnel.Host -- tenants create {tenant}");

    /// <summary>Whether a key with this secret was found here before (as many entries as there are keys, whatever callers make up).</summary>
    public bool Recognises(string secret) => found.ContainsKey(ApiKey.HashOf(secret));

    /// <summary>The key a caller presented, revoked or not, or null when no key has that secret (a malformed one is not looked up).</summary>
    public async Task<ApiKey?> FindAsync(string secret, CancellationToken ct)
    {
        if (!ApiKey.IsWellFormed(secret))
        {
            return null;
        }

        var hash = ApiKey.HashOf(secret);
        var now = clock.GetUtcNow();
        if (found.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        metrics?.KeyLookups.Add(1);
        await using var session = store.QuerySession();
        var key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.Hash == hash, ct);
        if (key is not null)
        {
            // Only keys that exist are kept, so made-up keys cannot grow the cache.
            found[hash] = (key, now + CacheFor);
        }

        return key;
    }

    public async Task<bool> AnyActiveAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<ApiKey>().AnyAsync(k => k.RevokedAt == null, ct);
    }
}
