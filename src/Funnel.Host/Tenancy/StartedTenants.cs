namespace Funnel.Host.Tenancy;

/// <summary>The tenants this process serves: those registered when it started, each with its projection and read models.</summary>
public sealed class StartedTenants(IReadOnlyList<string> tenants)
{
    public IReadOnlyList<string> All => tenants;

    public bool Contains(string tenant) => tenants.Contains(tenant, StringComparer.Ordinal);
}
