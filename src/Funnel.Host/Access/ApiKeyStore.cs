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
        var taken = request.Name is not null && await session.LoadAsync<ApiKey>(request.Name, ct) is not null;
        if ((request.Check(taken) ?? await UnknownTenantAsync(session, request.Tenant, ct)) is { } rejection)
        {
            return (null, rejection);
        }

        var secret = ApiKey.NewSecret();
        var key = new ApiKey
        {
            Id = request.Name!,
            Tenant = request.Tenant ?? Tenants.Default,
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

        return (new CreatedApiKey(key.Id, key.Tenant, key.Scopes, key.RequestsPerSecond, secret), null);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(string? tenant, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var keys = await session.Query<ApiKey>().Where(k => tenant == null || k.Tenant == tenant).OrderBy(k => k.Id).ToListAsync(ct);
        return [.. keys.Select(ApiKeyView.Of)];
    }

    /// <summary>Revokes the key (of <paramref name="tenant"/>, when one is given); revoking a revoked key changes nothing.</summary>
    public async Task<(ApiKeyView? Revoked, Rejection? Rejection)> RevokeAsync(string name, string? tenant, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var key = await session.LoadAsync<ApiKey>(name, ct);
        if (key is null || (tenant is not null && key.Tenant != tenant))
        {
            return (null, Rejection.NotFound("name", "unknown-key", $"There is no key named '{name}'."));
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
