using System.Net;
using System.Net.Http.Json;
using Funnel.Domain.Access;
using Funnel.Host.Access;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Access;

/// <summary>Keys made, used, listed and revoked over the API by a holder of keys:admin.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class KeyApiTests(FunnelApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_key_made_over_the_api_reads_what_its_scope_allows_until_it_is_revoked()
    {
        var created = await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "dashboard", scopes = new[] { Scopes.ReportsRead }, requestsPerSecond = 50 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var secret = created.GetProperty("key").GetString()!;
        Assert.StartsWith("fk_", secret);
        Assert.Equal("default", created.GetProperty("tenant").GetString());

        using var dashboard = app.CreateClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await dashboard.GetAsync("/api/funnel/sales/conversion")).StatusCode);
        await (await dashboard.PutAsJsonAsync("/api/pipelines/sales", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden, "scope", "missing-scope");

        // Listed with its scopes and rate, never with its secret or hash.
        var listText = await (await app.Http.GetAsync("/api/keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listText);
        Assert.DoesNotContain("hash", listText, StringComparison.OrdinalIgnoreCase);
        var listed = (await app.GetJsonAsync("/api/keys")).EnumerateArray().Single(k => k.GetProperty("name").GetString() == "dashboard");
        Assert.Equal(50, listed.GetProperty("requestsPerSecond").GetInt32());
        Assert.Equal([Scopes.ReportsRead], listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var revoked = await (await app.Http.DeleteAsync("/api/keys/dashboard")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);
        await (await dashboard.GetAsync("/api/funnel/sales/conversion")).AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "revoked-key");
    }

    [Fact]
    public async Task each_refusal_is_one_log_line_with_key_name_tenant_route_and_reason_never_the_key()
    {
        const string madeUp = "fk_this-is-not-a-key-but-must-not-be-logged";
        var reader = await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "log-reader", scopes = new[] { Scopes.ReportsRead }, requestsPerSecond = 1 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var secret = reader.GetProperty("key").GetString()!;
        var before = app.Logs.Entries.Count;

        using (var unknown = app.CreateClient(madeUp))
        {
            await unknown.GetAsync("/api/funnel/sales/conversion");
        }

        using var client = app.CreateClient(secret);
        await client.PutAsJsonAsync("/api/pipelines/sales", new { name = "x" });
        // One request a second: of three in a row, the first passes and at least one more is refused.
        await Task.WhenAll(client.GetAsync("/api/pipelines/sales"), client.GetAsync("/api/pipelines/sales"), client.GetAsync("/api/pipelines/sales"));

        var refusals = app.Logs.Entries.Skip(before).Where(e => e.Category == "Funnel.Host.Access.AccessLog").Select(e => e.Message).ToList();
        Assert.Equal(
            [
                "Access refused 401 malformed-key: key (none), tenant (none), GET /api/funnel/{pipelineId}/conversion",
                "Access refused 403 missing-scope: key log-reader, tenant default, PUT /api/pipelines/{pipelineId}",
                "Access refused 429 rate-limit: key log-reader, tenant default, GET /api/pipelines/{pipelineId}",
            ],
            refusals.Distinct());
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(madeUp, StringComparison.Ordinal) || e.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_bad_key_request_is_refused_naming_the_field_and_creates_nothing()
    {
        var before = (await app.GetJsonAsync("/api/keys")).GetArrayLength();

        await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "x", scopes = new[] { "everything" } })).AssertProblemAsync(HttpStatusCode.BadRequest, "scopes", "one-of");
        await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "x", scopes = Array.Empty<string>() })).AssertProblemAsync(HttpStatusCode.BadRequest, "scopes", "required");
        await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "no spaces", scopes = new[] { Scopes.Import } })).AssertProblemAsync(HttpStatusCode.BadRequest, "name", "identifier");
        await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "x", scopes = new[] { Scopes.Import }, requestsPerSecond = 0 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "requestsPerSecond", "range");
        await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "x", tenant = "other", scopes = new[] { Scopes.Import } })).AssertProblemAsync(HttpStatusCode.Forbidden, "tenant", "other-tenant");
        await (await app.Http.PostAsJsonAsync("/api/keys", new { name = FunnelApp.KeyName, scopes = new[] { Scopes.Import } })).AssertProblemAsync(HttpStatusCode.Conflict, "name", "key-exists");
        await (await app.Http.DeleteAsync("/api/keys/nobody")).AssertProblemAsync(HttpStatusCode.NotFound, "name", "unknown-key");

        // No key of a tenant nobody created.
        var (_, otherTenant) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(new CreateApiKey("acme-sync", "acme", [Scopes.ReportsRead]), CancellationToken.None);
        Assert.Equal(("tenant", "unknown-tenant"), (otherTenant?.Field, otherTenant?.Rule));

        Assert.Equal(before, (await app.GetJsonAsync("/api/keys")).GetArrayLength());
    }

    [Fact]
    public async Task a_key_grants_no_scope_it_lacks_and_no_rate_above_its_own()
    {
        var admin = await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "team-admin", scopes = new[] { Scopes.KeysAdmin, Scopes.ReportsRead }, requestsPerSecond = 20 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        using var teamAdmin = app.CreateClient(admin.GetProperty("key").GetString());

        await (await teamAdmin.PostAsJsonAsync("/api/keys", new { name = "writer", scopes = new[] { Scopes.ReportsRead, Scopes.CommandsWrite } }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "scopes", "beyond-own-grant");
        await (await teamAdmin.PostAsJsonAsync("/api/keys", new { name = "fast", scopes = new[] { Scopes.ReportsRead }, requestsPerSecond = 21 }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "requestsPerSecond", "beyond-own-grant");

        // Without a rate, the new key gets its maker's 20 (below the service's default of 1,000).
        var reader = await (await teamAdmin.PostAsJsonAsync("/api/keys", new { name = "reader", scopes = new[] { Scopes.ReportsRead } })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(20, reader.GetProperty("requestsPerSecond").GetInt32());
        Assert.DoesNotContain((await app.GetJsonAsync("/api/keys")).EnumerateArray(), k => k.GetProperty("name").GetString() is "writer" or "fast");
    }

    [Fact]
    public async Task a_key_made_when_names_were_global_keeps_its_name_in_its_tenant()
    {
        var secret = ApiKey.NewSecret();
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(new ApiKey { Id = "legacy-sync", Tenant = "default", Scopes = [Scopes.ReportsRead], Hash = ApiKey.HashOf(secret), RequestsPerSecond = 10 });
            await session.SaveChangesAsync();
        }

        using var legacy = app.CreateClient(secret);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await legacy.GetAsync("/api/funnel/sales/losses")).StatusCode);
        Assert.Contains((await app.GetJsonAsync("/api/keys")).EnumerateArray(), k => k.GetProperty("name").GetString() == "legacy-sync");
        await (await app.Http.PostAsJsonAsync("/api/keys", new { name = "legacy-sync", scopes = new[] { Scopes.ReportsRead } })).AssertProblemAsync(HttpStatusCode.Conflict, "name", "key-exists");

        (await app.Http.DeleteAsync("/api/keys/legacy-sync")).EnsureSuccessStatusCode();
        await (await legacy.GetAsync("/api/funnel/sales/losses")).AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "revoked-key");
    }
}
