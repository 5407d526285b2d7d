using Funnel.Host.Storage;
using Funnel.Projections;
using Npgsql;

namespace Funnel.Host.Tenancy;

/// <summary>
/// The tenants of the deployment: Marten documents of the store's own (not any tenant's). The service reads them once,
/// when it starts, to run a projection for each; a tenant created later is served from the service's next start.
/// </summary>
public sealed class TenantRegistry(IDocumentStore store, TimeProvider clock)
{
    /// <summary>The registry's table (Marten's, for <see cref="Tenant"/>).</summary>
    private const string Table = StoreTables.Schema + ".mt_doc_tenant";

    public static void Register(StoreOptions options) => options.Schema.For<Tenant>().SingleTenanted();

    /// <summary>The tenants, the default first: read before the store is configured, since each has a projection.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var exists = await NpgsqlStatements.ScalarAsync(connection, $"select to_regclass('{Table}') is not null") is true;
        var ids = new List<string> { Tenants.Default };
        if (exists)
        {
            await using var command = new NpgsqlCommand($"select id from {Table} order by id", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        return ids;
    }

    /// <summary>Creates a tenant straight in a store's database, before any service runs on it (tests, benchmarks).</summary>
    public static async Task CreateInAsync(string connectionString, string id)
    {
        using var store = await StorageConfiguration.OpenAccessStoreAsync(connectionString);
        var (_, rejection) = await new TenantRegistry(store, TimeProvider.System).CreateAsync(id, CancellationToken.None);
        if (rejection is not null)
        {
            throw new InvalidOperationException(rejection.Message);
        }
    }

    public async Task<(string? Created, Rejection? Rejection)> CreateAsync(string? id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var exists = Tenants.IsValid(id) && await session.LoadAsync<Tenant>(id!, ct) is not null;
        if (Tenants.CheckNew(id, exists) is { } rejection)
        {
            return (null, rejection);
        }

        session.Insert(new Tenant { Id = id!, CreatedAt = clock.GetUtcNow() });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return (null, Tenants.CheckNew(id, exists: true));
        }

        return (id, null);
    }

    /// <summary>Every tenant, the default first.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return [Tenants.Default, .. await session.Query<Tenant>().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct)];
    }

    public async Task<bool> ExistsAsync(string tenant, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await ExistsInAsync(session, tenant, ct);
    }

    /// <summary>Whether the tenant exists, read through a session the caller has open (the default one always does).</summary>
    public static async Task<bool> ExistsInAsync(IQuerySession session, string tenant, CancellationToken ct) =>
        tenant == Tenants.Default || await session.LoadAsync<Tenant>(tenant, ct) is not null;
}
