namespace Funnel.Host.Tenancy;

/// <summary>A sales organisation of the deployment, as registered by <c>tenants create</c> (the default one is implied).</summary>
public sealed class Tenant
{
    public string Id { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
