using System.Net;
using System.Net.Http.Json;
using Funnel.Domain.Access;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Tenancy;

/// <summary>Key names are a tenant's own: one tenant can neither learn nor take another's.</summary>
[Collection(TenantsCollection.Name)]
public sealed class TenantKeyNameTests(TenantsApp app)
{
    [Fact]
    public async Task two_tenants_each_have_a_key_of_the_same_name_and_revoke_only_their_own()
    {
        using var acme = app.AcmeClient();
        var ours = await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "shared-name", scopes = new[] { Scopes.ReportsRead } })).ReadJsonAsync(HttpStatusCode.Created);
        var theirs = await (await acme.PostAsJsonAsync("/api/keys", new { name = "shared-name", scopes = new[] { Scopes.ReportsRead } })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("default", ours.GetProperty("tenant").GetString());
        Assert.Equal(TenantsApp.Acme, theirs.GetProperty("tenant").GetString());

        // Within a tenant the name is still taken.
        await (await acme.PostAsJsonAsync("/api/keys", new { name = "shared-name", scopes = new[] { Scopes.ReportsRead } })).AssertProblemAsync(HttpStatusCode.Conflict, "name", "key-exists");

        (await acme.DeleteAsync("/api/keys/shared-name")).EnsureSuccessStatusCode();
        using var ourKey = app.CreateClient(ours.GetProperty("key").GetString());
        using var theirKey = app.CreateClient(theirs.GetProperty("key").GetString());
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await ourKey.GetAsync("/api/funnel/sales/losses")).StatusCode);
        await (await theirKey.GetAsync("/api/funnel/sales/losses")).AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "revoked-key");

        // Each tenant lists its own.
        var listed = (await FunnelApp.GetJsonAsync(acme, "/api/keys")).EnumerateArray().Select(k => (k.GetProperty("name").GetString(), k.GetProperty("tenant").GetString())).ToList();
        Assert.All(listed, k => Assert.Equal(TenantsApp.Acme, k.Item2));
    }
}
