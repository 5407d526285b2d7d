using System.Net;
using System.Net.Http.Json;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Tenancy;

/// <summary>Two tenants in one deployment: the same ids kept apart, and each blind to the other on every endpoint.</summary>
[Collection(TenantsCollection.Name)]
public sealed class TenantIsolationTests(TenantsApp app)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task two_tenants_with_the_same_deal_and_pipeline_ids_stay_separate()
    {
        using var acme = app.AcmeClient();
        await FunnelApp.PutPipelineAsync(app.Http, "same", ("validate", 0.1m), ("develop", 0.3m), ("propose", 0.5m), ("close", 0.8m));
        await FunnelApp.PutPipelineAsync(acme, "same", ("intro", 0.2m), ("offer", 0.6m));
        await TenantsApp.PostOkAsync(app.Http, "/api/deals", new { dealId = "same-1", pipelineId = "same", name = "Default's", owner = "ann", amount = 1000m, stage = "develop", occurredAt = T0 });
        await TenantsApp.PostOkAsync(acme, "/api/deals", new { dealId = "same-1", pipelineId = "same", name = "Acme's", owner = "bob", amount = 50m, stage = "offer", occurredAt = T0 });
        await TenantsApp.PostOkAsync(acme, "/api/deals/same-1/win", new { occurredAt = T0.AddDays(1) });

        var ours = await FunnelApp.GetJsonAsync(app.Http, "/api/deals/same-1");
        var theirs = await FunnelApp.GetJsonAsync(acme, "/api/deals/same-1");
        Assert.Equal(("develop", "open", 1000m, "ann", 300m), (ours.GetProperty("stage").GetString(), ours.GetProperty("status").GetString(), ours.GetProperty("amount").GetDecimal(), ours.GetProperty("owner").GetString(), ours.GetProperty("weightedAmount").GetDecimal()));
        Assert.Equal(("offer", "won", 50m, "bob"), (theirs.GetProperty("stage").GetString(), theirs.GetProperty("status").GetString(), theirs.GetProperty("amount").GetDecimal(), theirs.GetProperty("owner").GetString()));
        Assert.Equal(4, (await FunnelApp.GetJsonAsync(app.Http, "/api/pipelines/same")).GetProperty("stages").GetArrayLength());
        Assert.Equal(2, (await FunnelApp.GetJsonAsync(acme, "/api/pipelines/same")).GetProperty("stages").GetArrayLength());
        Assert.Equal(1, (await FunnelApp.GetJsonAsync(app.Http, "/api/deals/same-1/history")).GetProperty("events").GetArrayLength());
        Assert.Equal(2, (await FunnelApp.GetJsonAsync(acme, "/api/deals/same-1/history")).GetProperty("events").GetArrayLength());

        // The read models: default's funnel holds its one open deal (1000 x 0.3), acme's its one won deal and nothing open.
        await app.CatchUpAsync();
        var ourSnapshot = await FunnelApp.GetJsonAsync(app.Http, "/api/funnel/same/snapshot");
        var theirSnapshot = await FunnelApp.GetJsonAsync(acme, "/api/funnel/same/snapshot");
        Assert.Equal([("validate", 0L, 0m), ("develop", 1L, 300m), ("propose", 0L, 0m), ("close", 0L, 0m)], Stages(ourSnapshot));
        Assert.Equal((0L, 0m), (ourSnapshot.GetProperty("won").GetProperty("count").GetInt64(), ourSnapshot.GetProperty("won").GetProperty("amount").GetDecimal()));
        Assert.Equal([("intro", 0L, 0m), ("offer", 0L, 0m)], Stages(theirSnapshot));
        Assert.Equal((1L, 50m), (theirSnapshot.GetProperty("won").GetProperty("count").GetInt64(), theirSnapshot.GetProperty("won").GetProperty("amount").GetDecimal()));

        // A filter naming the other tenant's owner finds nothing.
        Assert.Equal(0L, (await FunnelApp.GetJsonAsync(acme, "/api/funnel/same/snapshot?owner=ann")).GetProperty("stages").EnumerateArray().Sum(s => s.GetProperty("count").GetInt64()));

        // Each tenant's event feed: its pipeline definition and its deal's events, nothing of the other's.
        Assert.Equal(["pipeline_defined", "deal_captured"], await EventTypesAsync(app.Http, "same"));
        Assert.Equal(["pipeline_defined", "deal_captured", "deal_won"], await EventTypesAsync(acme, "same"));
    }

    [Fact]
    public async Task a_tenants_cursors_tell_nothing_of_another_tenants_writes()
    {
        using var acme = app.AcmeClient();
        await FunnelApp.PutPipelineAsync(acme, "quiet", ("open", 0.5m));
        await TenantsApp.PostOkAsync(acme, "/api/deals", new { dealId = "quiet-1", pipelineId = "quiet", name = "Acme's", owner = "bob", amount = 10m, occurredAt = T0 });

        // Between acme's second and third event the default tenant writes 20.
        await FunnelApp.PutPipelineAsync(app.Http, "busy", ("open", 0.5m));
        for (var i = 0; i < 19; i++)
        {
            await TenantsApp.PostOkAsync(app.Http, "/api/deals", new { dealId = $"busy-{i}", pipelineId = "busy", name = "Default's", owner = "ann", amount = 1m, occurredAt = T0 });
        }

        await TenantsApp.PostOkAsync(acme, "/api/deals/quiet-1/win", new { occurredAt = T0.AddDays(1) });
        await app.CatchUpAsync();

        // Acme's feed: its three events, each with a cursor and no number but its own deal's version.
        var lines = (await acme.GetStringAsync("/api/events?pipelineId=quiet")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["pipeline_defined", "deal_captured", "deal_won"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.All(lines, l => Assert.Equal(
            ["actor", "causationId", "correlationId", "cursor", "data", "occurredAt", "recordedAt", "streamId", "traceId", "type", "version"],
            l.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        var cursors = lines.Select(l => l.GetProperty("cursor").GetString()!).ToList();
        Assert.All(cursors, c => Assert.Matches("^[A-Za-z0-9_-]{22}$", c));

        // Resuming after the second gives the third; the default tenant's cursor means nothing to acme, and acme's nothing to it.
        var rest = (await acme.GetStringAsync($"/api/events?pipelineId=quiet&after={cursors[1]}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cursors[2], System.Text.Json.JsonDocument.Parse(Assert.Single(rest)).RootElement.GetProperty("cursor").GetString());
        var theirs = System.Text.Json.JsonDocument.Parse((await app.Http.GetStringAsync("/api/events?pipelineId=busy")).Split('\n')[^2]).RootElement.GetProperty("cursor").GetString();
        foreach (var (client, cursor) in new[] { (acme, theirs), (app.Http, cursors[2]), (acme, "not-a-cursor") })
        {
            using var refused = await client.GetAsync($"/api/events?after={cursor}");
            await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "after", "cursor");
        }

        // A report's freshness: where its read models stand in acme's feed (at its last event), and acme's lag alone.
        var freshness = (await FunnelApp.GetJsonAsync(acme, "/api/funnel/quiet/snapshot")).GetProperty("freshness");
        Assert.Equal(["cursor", "lagEvents", "lagSeconds"], freshness.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(cursors[2], freshness.GetProperty("cursor").GetString());
        Assert.Equal(0, freshness.GetProperty("lagEvents").GetInt64());
    }

    [Fact]
    public async Task an_idempotency_key_of_one_tenant_does_not_answer_for_another()
    {
        using var acme = app.AcmeClient();
        await FunnelApp.PutPipelineAsync(app.Http, "idem", ("open", 0.5m));
        await FunnelApp.PutPipelineAsync(acme, "idem", ("open", 0.5m));
        foreach (var (client, dealId) in new[] { (app.Http, "idem-default"), (acme, "idem-acme") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/deals") { Content = JsonContent.Create(new { dealId, pipelineId = "idem", name = "x", owner = "x", amount = 1m }) };
            request.Headers.Add("Idempotency-Key", "shared-retry-key");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(dealId, (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("dealId").GetString());
        }
    }

    /// <summary>
    /// What a key of acme gets for each endpoint when it names the default tenant's ids: the answer for ids that do not
    /// exist (404, or an empty result); for a write that would create, it creates in acme, never in the default tenant.
    /// Written out here, so a new endpoint must be placed.
    /// </summary>
    private static readonly Dictionary<string, HttpStatusCode> CrossTenant = new()
    {
        ["POST /api/deals"] = HttpStatusCode.BadRequest, // unknown-pipeline: the pipeline is not acme's
        ["POST /api/deals/{dealId}/stage"] = HttpStatusCode.NotFound,
        ["POST /api/deals/{dealId}/quote"] = HttpStatusCode.NotFound,
        ["POST /api/deals/{dealId}/amount"] = HttpStatusCode.NotFound,
        ["POST /api/deals/{dealId}/expected-close"] = HttpStatusCode.NotFound,
        ["POST /api/deals/{dealId}/owner"] = HttpStatusCode.NotFound,
        ["POST /api/deals/{dealId}/win"] = HttpStatusCode.NotFound,
        ["POST /api/deals/{dealId}/lose"] = HttpStatusCode.NotFound,
        ["POST /api/deals/{dealId}/reopen"] = HttpStatusCode.NotFound,
        ["POST /api/commands"] = HttpStatusCode.OK, // its one command answered 404 unknown-deal
        ["POST /api/reps/{rep}/handover"] = HttpStatusCode.OK, // the rep has no open deal in acme: nothing handed over
        ["GET /api/funnel/{pipelineId}/handovers"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/attainment"] = HttpStatusCode.NotFound,
        ["POST /api/activities"] = HttpStatusCode.NotFound, // unknown-deal: the deal is not acme's
        ["POST /api/activities/batch"] = HttpStatusCode.OK, // its one activity answered 404 unknown-deal
        ["GET /api/reps/{rep}/diary"] = HttpStatusCode.OK, // an empty day: the rep's deal and its capture are the default tenant's
        ["GET /api/funnel/{pipelineId}/activity"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/days-without-record"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/untouched"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/effort"] = HttpStatusCode.NotFound,
        ["PUT /api/targets/{pipelineId}/{period}"] = HttpStatusCode.NotFound, // unknown-pipeline: the pipeline is not acme's
        ["GET /api/deals"] = HttpStatusCode.OK, // an empty page
        ["GET /api/deals/{dealId}"] = HttpStatusCode.NotFound,
        ["GET /api/pipelines/{pipelineId}"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/conversion"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/dwell"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/forecast"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/snapshot"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/velocity"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/losses"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/stalled"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/calibration"] = HttpStatusCode.NotFound,
        ["GET /api/funnel/{pipelineId}/changes"] = HttpStatusCode.NotFound,
        ["GET /api/deals/{dealId}/history"] = HttpStatusCode.NotFound,
        ["GET /api/events"] = HttpStatusCode.OK, // no line
        ["PUT /api/pipelines/{pipelineId}"] = HttpStatusCode.Created, // acme's own first pipeline of that name
        ["POST /api/keys"] = HttpStatusCode.Forbidden, // a key for the default tenant
        ["GET /api/keys"] = HttpStatusCode.OK, // acme's keys only
        ["DELETE /api/keys/{name}"] = HttpStatusCode.NotFound,
    };

    [Fact]
    public async Task a_key_of_another_tenant_finds_nothing_of_this_one_on_any_endpoint_and_changes_nothing()
    {
        await FunnelApp.PutPipelineAsync(app.Http, "ours", ("validate", 0.1m), ("develop", 0.3m));
        await TenantsApp.PostOkAsync(app.Http, "/api/deals", new { dealId = "ours-1", pipelineId = "ours", name = "Kept-by-default", owner = "ann-of-default", amount = 700m, stage = "develop", occurredAt = T0 });
        await app.CatchUpAsync();
        var before = await AnswersAsync();

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();
        Assert.Equal(CrossTenant.Keys.Order(), endpoints.Order());

        using var acme = app.AcmeClient();
        var acmeBefore = (await acme.GetStringAsync("/api/events?limit=100000")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("cursor").GetString()).LastOrDefault();
        foreach (var (route, expected) in CrossTenant)
        {
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
            var url = path.Replace("{rep}", "ann-of-default").Replace("{dealId}", "ours-1").Replace("{pipelineId}", "ours").Replace("{name}", FunnelApp.KeyName).Replace("{period}", "2026-03");
            url += method == "GET" && path is "/api/deals" or "/api/events" ? "?pipelineId=ours" : "";
            url += path.EndsWith("/attainment", StringComparison.Ordinal) ? "?period=2026-03" : "";
            url += path.EndsWith("/diary", StringComparison.Ordinal) ? $"?date={T0:yyyy-MM-dd}" : "";
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (path == "/api/commands")
            {
                request.Content = JsonContent.Create(new[] { new { type = "stage", dealId = "ours-1", stage = "validate" } });
            }
            else if (path.StartsWith("/api/targets", StringComparison.Ordinal))
            {
                request.Content = JsonContent.Create(new { organisation = new { wonAmount = 1m } });
            }
            else if (path == "/api/activities")
            {
                request.Content = JsonContent.Create(new { rep = "mallory", kind = "call", dealId = "ours-1", occurredAt = T0 });
            }
            else if (path == "/api/activities/batch")
            {
                request.Content = JsonContent.Create(new[] { new { rep = "mallory", kind = "call", dealId = "ours-1", occurredAt = T0 } });
            }
            else if (path.EndsWith("/handover", StringComparison.Ordinal))
            {
                request.Content = JsonContent.Create(new { to = "mallory", reason = "x" });
            }
            else if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new
                {
                    dealId = "ours-1", pipelineId = "ours", stage = "develop", amount = 1m, name = "taken", owner = "mallory", reason = "x", expectedCloseDate = "2026-12-31",
                    tenant = "default", scopes = new[] { "reports:read" }, stages = new[] { new { id = "validate", name = "validate", probability = 0.9m } },
                });
            }

            var response = await acme.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{route}: {(int)response.StatusCode} {body}");
            if (path is "/api/commands" or "/api/activities/batch")
            {
                Assert.Equal(404, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("results")[0].GetProperty("status").GetInt32());
            }

            // Nothing of the default tenant's deal or keys in any answer (a refusal, or the diary, may echo the id asked for).
            if (path.EndsWith("/diary", StringComparison.Ordinal))
            {
                Assert.Empty(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("moves").EnumerateArray());
            }

            foreach (var theirs in new[] { "Kept-by-default", path.EndsWith("/diary", StringComparison.Ordinal) ? "Kept-by-default" : "ann-of-default", $"\"{FunnelApp.KeyName}\"" })
            {
                Assert.DoesNotContain(theirs, body, StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, (await FunnelApp.GetJsonAsync(acme, "/api/deals?pipelineId=ours")).GetProperty("total").GetInt64());

        // After the cursor of its last event before the default tenant's pipeline, acme's feed holds only acme's own (its pipeline just defined).
        var feed = (await acme.GetStringAsync($"/api/events?limit=100000{(acmeBefore is null ? "" : $"&after={acmeBefore}")}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ours"], feed.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("streamId").GetString()).Distinct());
        await app.CatchUpAsync();
        Assert.Equal(before, await AnswersAsync());
    }

    /// <summary>The default tenant's view of its pipeline, deal and funnel, freshness and knownAt (now) aside.</summary>
    private async Task<List<string>> AnswersAsync()
    {
        var answers = new List<string>();
        foreach (var url in new[] { "/api/pipelines/ours", "/api/deals/ours-1", "/api/deals/ours-1/history", "/api/funnel/ours/snapshot?asOf=2026-06-01", "/api/funnel/ours/conversion", "/api/deals?pipelineId=ours" })
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse((await FunnelApp.GetJsonAsync(app.Http, url)).GetRawText())!.AsObject();
            json.Remove("freshness");
            json.Remove("knownAt");
            answers.Add(json.ToJsonString());
        }

        return answers;
    }

    private static List<(string, long, decimal)> Stages(System.Text.Json.JsonElement snapshot) =>
        [.. snapshot.GetProperty("stages").EnumerateArray().Select(s => (s.GetProperty("stage").GetString()!, s.GetProperty("count").GetInt64(), s.GetProperty("weightedAmount").GetDecimal()))];

    private static async Task<List<string>> EventTypesAsync(HttpClient client, string pipelineId)
    {
        var text = await client.GetStringAsync($"/api/events?pipelineId={pipelineId}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("type").GetString()!)];
    }
}
