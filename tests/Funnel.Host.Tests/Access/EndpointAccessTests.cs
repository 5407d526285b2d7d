using System.Net;
using System.Net.Http.Json;
using Funnel.Domain.Access;
using Funnel.Host.Access;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Access;

/// <summary>Every endpoint refuses a caller without a key, with a revoked key, or with a key lacking its scope; nothing is stored.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class EndpointAccessTests(FunnelApp app) : IAsyncLifetime
{
    /// <summary>The scope each endpoint needs, written out here (not read from the code), so a new endpoint must be placed.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["POST /api/deals"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/stage"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/quote"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/amount"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/expected-close"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/owner"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/win"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/lose"] = Scopes.CommandsWrite,
        ["POST /api/deals/{dealId}/reopen"] = Scopes.CommandsWrite,
        ["POST /api/commands"] = Scopes.CommandsWrite,
        ["POST /api/reps/{rep}/handover"] = Scopes.CommandsWrite,
        ["GET /api/funnel/{pipelineId}/handovers"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/attainment"] = Scopes.ReportsRead,
        ["POST /api/activities"] = Scopes.CommandsWrite,
        ["POST /api/activities/batch"] = Scopes.CommandsWrite,
        ["GET /api/reps/{rep}/diary"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/activity"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/days-without-record"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/untouched"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/effort"] = Scopes.ReportsRead,
        ["PUT /api/targets/{pipelineId}/{period}"] = Scopes.TargetsAdmin,
        ["GET /api/deals"] = Scopes.ReportsRead,
        ["GET /api/deals/{dealId}"] = Scopes.ReportsRead,
        ["GET /api/pipelines/{pipelineId}"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/conversion"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/dwell"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/forecast"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/snapshot"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/velocity"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/losses"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/stalled"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/calibration"] = Scopes.ReportsRead,
        ["GET /api/funnel/{pipelineId}/changes"] = Scopes.ReportsRead,
        ["GET /api/deals/{dealId}/history"] = Scopes.EventsRead,
        ["GET /api/events"] = Scopes.EventsRead,
        ["PUT /api/pipelines/{pipelineId}"] = Scopes.PipelinesAdmin,
        ["POST /api/keys"] = Scopes.KeysAdmin,
        ["GET /api/keys"] = Scopes.KeysAdmin,
        ["DELETE /api/keys/{name}"] = Scopes.KeysAdmin,
    };

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
        (await app.Http.PostAsJsonAsync("/api/deals", new { dealId = "A-1", pipelineId = "sales", name = "Kept", owner = "ann", amount = 100m })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task every_endpoint_refuses_no_key_a_revoked_key_and_a_key_without_its_scope_and_stores_nothing()
    {
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var revoked = await CreateAsync(keys, "revoked", Scopes.All);
        await keys.RevokeAsync("revoked", Tenants.Default, CancellationToken.None);
        var lacking = new Dictionary<string, string>();
        foreach (var scope in Scopes.All)
        {
            lacking[scope] = (await CreateAsync(keys, "all-but-" + scope.Replace(':', '-'), [.. Scopes.All.Where(s => s != scope)])).Key;
        }

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();
        Assert.Equal(Expected.Keys.Order(), endpoints.Order());

        var (events, keyCount) = (await app.CountEventsAsync(), (await keys.ListAsync(null, CancellationToken.None)).Count);
        foreach (var (route, scope) in Expected)
        {
            using var none = app.CreateClient(key: null);
            await (await SendAsync(none, route)).AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "missing-key");
            using var withRevoked = app.CreateClient(revoked.Key);
            await (await SendAsync(withRevoked, route)).AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "revoked-key");
            using var withoutScope = app.CreateClient(lacking[scope]);
            var forbidden = await SendAsync(withoutScope, route);
            Assert.Equal(scope, (await forbidden.ReadJsonAsync(HttpStatusCode.Forbidden)).GetProperty("scope").GetString());
        }

        Assert.Equal(events, await app.CountEventsAsync());
        Assert.Equal(keyCount, (await keys.ListAsync(null, CancellationToken.None)).Count);
        Assert.Null((await keys.ListAsync(null, CancellationToken.None)).Single(k => k.Name == FunnelApp.KeyName).RevokedAt);
    }

    [Fact]
    public async Task the_api_description_names_the_scope_of_every_operation()
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        var described = new Dictionary<string, string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var scopes = operation.Value.GetProperty("security")[0].GetProperty("apiKey");
                described[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = Assert.Single(scopes.EnumerateArray()).GetString()!;
                Assert.EndsWith($"Needs a key with the scope {described[$"{operation.Name.ToUpperInvariant()} {path.Name}"]}.", operation.Value.GetProperty("description").GetString());
            }
        }

        Assert.Equal(Expected.OrderBy(e => e.Key), described.OrderBy(e => e.Key));
    }

    [Fact]
    public async Task a_key_past_its_rate_is_told_to_retry_later_and_other_keys_are_not()
    {
        var slow = await CreateAsync(app.Services.GetRequiredService<ApiKeyStore>(), "slow", [Scopes.ReportsRead], requestsPerSecond: 2);
        using var client = app.CreateClient(slow.Key);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await client.GetAsync("/api/pipelines/sales"));
        }

        // A bucket of two: the first two pass; six calls in well under a second cannot all.
        Assert.All(answers.Take(2), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        foreach (var answer in limited)
        {
            Assert.True(int.Parse(answer.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            await answer.AssertProblemAsync(HttpStatusCode.TooManyRequests, "Authorization", "rate-limit");
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/api/pipelines/sales")).StatusCode);
    }

    private static async Task<CreatedApiKey> CreateAsync(ApiKeyStore keys, string name, IReadOnlyList<string> scopes, int? requestsPerSecond = null)
    {
        var (created, rejection) = await keys.CreateAsync(new CreateApiKey(name, null, scopes, requestsPerSecond), CancellationToken.None);
        Assert.Null(rejection);
        return created!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        var url = path.Replace("{rep}", "ann").Replace("{dealId}", "A-1").Replace("{pipelineId}", "sales").Replace("{name}", FunnelApp.KeyName).Replace("{period}", "2026-03");
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { stage = "develop", amount = 1m, name = "x", owner = "x", scopes = new[] { Scopes.ReportsRead } });
        }

        return client.SendAsync(request);
    }
}
