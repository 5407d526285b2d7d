using System.Net.Http.Json;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Tenancy;

/// <summary>A host serving the default tenant (the tests' key, <see cref="FunnelApp.Http"/>) and the tenant acme (its own key).</summary>
public sealed class TenantsApp : FunnelApp
{
    public const string Acme = "acme";

    protected override IReadOnlyList<string> OtherTenants { get; } = [Acme];

    /// <summary>A client acting in acme with acme's key.</summary>
    public HttpClient AcmeClient() => CreateClient(TenantKeys[Acme].Key);

    public static async Task PostOkAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>Tenant tests share one host and never reset it: each test uses ids of its own.</summary>
[CollectionDefinition(Name)]
public sealed class TenantsCollection : ICollectionFixture<TenantsApp>
{
    public const string Name = "tenants";
}
