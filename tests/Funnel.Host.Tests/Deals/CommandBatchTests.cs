using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Deals;

/// <summary>POST /api/commands: many deal commands in one request, each all or nothing, answered in order.</summary>
[Collection(FunnelAppCollection.Name)]
public sealed class CommandBatchTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
        (await app.Http.PostAsJsonAsync("/api/deals", new { dealId = "B-1", pipelineId = "sales", name = "One", owner = "ann", amount = 100m, occurredAt = T0 })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task each_command_is_answered_in_order_and_a_refused_one_stores_nothing()
    {
        var events = await app.CountEventsAsync();
        var answer = await PostAsync(
        [
            new { type = "stage", dealId = "B-1", stage = "develop", occurredAt = T0.AddDays(1) },
            new { type = "capture", dealId = "B-2", pipelineId = "sales", name = "Two", owner = "bob", amount = 50m, occurredAt = T0.AddDays(1) },
            new { type = "stage", dealId = "B-1", stage = "nowhere", occurredAt = T0.AddDays(2) },
            new { type = "amount", dealId = "B-1", amount = 120m, occurredAt = T0.AddDays(2) },
            new { type = "win", dealId = "missing", occurredAt = T0.AddDays(2) },
            new { type = "teleport", dealId = "B-1", occurredAt = T0.AddDays(2) },
            new { type = "capture", dealId = "B-1", pipelineId = "sales", name = "Again", owner = "ann", amount = 1m, occurredAt = T0.AddDays(2) },
            new { type = "lose", dealId = "B-2", reason = "price", occurredAt = T0.AddDays(3), expectedVersion = 1 },
            new { type = "capture", dealId = "no spaces", pipelineId = "sales", name = "Bad", owner = "ann", amount = 1m, occurredAt = T0 },
            new { type = "amount", dealId = "no spaces", amount = 1m },
        ]);

        Assert.Equal(
            [(200, "B-1", 2L, null), (201, "B-2", 1L, null), (400, "B-1", 0L, "unknown-stage"), (200, "B-1", 3L, null),
             (404, "missing", 0L, "unknown-deal"), (400, "B-1", 0L, "one-of"), (409, "B-1", 0L, "duplicate-deal"), (200, "B-2", 2L, null),
             (400, "no spaces", 0L, "identifier"), (404, "no spaces", 0L, "unknown-deal")],
            Results(answer));
        Assert.Equal((4, 6), (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("refused").GetInt32()));
        Assert.Equal("type", answer.GetProperty("results")[5].GetProperty("problem").GetProperty("field").GetString());

        // Four accepted commands, one event each; the refused six stored nothing.
        Assert.Equal(events + 4, await app.CountEventsAsync());
        var deal = await app.GetJsonAsync("/api/deals/B-1");
        Assert.Equal(("develop", 120m, 3), (deal.GetProperty("stage").GetString(), deal.GetProperty("amount").GetDecimal(), deal.GetProperty("version").GetInt32()));
        Assert.Equal("lost", (await app.GetJsonAsync("/api/deals/B-2")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ndjson_gives_the_answers_a_json_array_gives()
    {
        var commands = new object[]
        {
            new { type = "capture", dealId = "N-1", pipelineId = "sales", name = "x", owner = "x", amount = 1m, occurredAt = T0 },
            new { type = "quote", dealId = "N-1", amount = 7m, quoteId = "Q-1", occurredAt = T0.AddHours(1) },
            new { type = "reopen", dealId = "N-1", stage = "develop", occurredAt = T0.AddHours(2) },
        };
        var body = string.Join("\n", commands.Select(c => JsonSerializer.Serialize(c))) + "\n";
        var response = await app.Http.PostAsync("/api/commands", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal([(201, "N-1", 1L, null), (200, "N-1", 2L, null), (409, "N-1", 0L, "deal-open")], Results(await response.ReadJsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task a_retry_under_the_same_idempotency_key_answers_as_the_first_time_and_appends_nothing()
    {
        object[] commands = [new { type = "stage", dealId = "B-1", stage = "propose", occurredAt = T0.AddDays(1) }, new { type = "amount", dealId = "B-1", amount = 999m, occurredAt = T0.AddDays(1) }];
        var first = await PostAsync(commands, "batch-retry-1");
        var events = await app.CountEventsAsync();

        var again = await PostAsync(commands, "batch-retry-1");

        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal([(200, "B-1", 2L, null), (200, "B-1", 3L, null)], Results(again));
        Assert.Equal(events, await app.CountEventsAsync());
    }

    [Fact]
    public async Task a_body_that_is_not_a_batch_is_refused_whole()
    {
        var events = await app.CountEventsAsync();
        await (await app.Http.PostAsJsonAsync("/api/commands", new { type = "stage", dealId = "B-1" })).AssertProblemAsync(HttpStatusCode.BadRequest, "body", "json-array");
        await (await app.Http.PostAsJsonAsync("/api/commands", Array.Empty<object>())).AssertProblemAsync(HttpStatusCode.BadRequest, "body", "batch-size");
        var tooMany = Enumerable.Range(0, 1001).Select(i => new { type = "amount", dealId = "B-1", amount = i }).ToArray();
        await (await app.Http.PostAsJsonAsync("/api/commands", tooMany)).AssertProblemAsync(HttpStatusCode.BadRequest, "body", "batch-size");
        await (await app.Http.PostAsync("/api/commands", new StringContent("{\"type\":\"stage\"}\n{not json", Encoding.UTF8, "application/x-ndjson")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "body", "json");
        Assert.Equal(events, await app.CountEventsAsync());
    }

    [Fact]
    public async Task a_batch_racing_single_commands_on_the_same_deal_loses_none_and_numbers_every_event_once()
    {
        // 40 amount changes in four batches of ten, raced by 40 single amount changes on the same deal, all without expectedVersion.
        var batches = Enumerable.Range(0, 4).Select(b => PostAsync([.. Enumerable.Range(0, 10).Select(i => (object)new { type = "amount", dealId = "B-1", amount = 1000m + (b * 10) + i })]));
        var singles = Enumerable.Range(0, 40).Select(i => app.Http.PostAsJsonAsync("/api/deals/B-1/amount", new { amount = 5000m + i }));
        var batchAnswers = await Task.WhenAll(batches);
        var singleAnswers = await Task.WhenAll(singles);

        Assert.All(singleAnswers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var versions = batchAnswers.SelectMany(Results).Select(r => r.Version).ToList();
        foreach (var single in singleAnswers)
        {
            versions.Add((await single.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt64());
        }

        // Every one of the 80 commands landed, each with its own version after the capture's (1): 2 to 81.
        Assert.Equal(Enumerable.Range(2, 80).Select(v => (long)v), versions.Order());
        var history = await app.EventsOfAsync("B-1");
        Assert.Equal(81, history.Count);
        Assert.Equal(81, (await app.GetJsonAsync("/api/deals/B-1")).GetProperty("version").GetInt32());
    }

    private async Task<JsonElement> PostAsync(object[] commands, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/commands") { Content = JsonContent.Create(commands) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await (await app.Http.SendAsync(request)).ReadJsonAsync(HttpStatusCode.OK);
    }

    private static List<(int Status, string? DealId, long Version, string? Rule)> Results(JsonElement answer) =>
        [.. answer.GetProperty("results").EnumerateArray().Select(r => (
            r.GetProperty("status").GetInt32(),
            r.TryGetProperty("dealId", out var id) ? id.GetString() : null,
            r.TryGetProperty("version", out var v) ? v.GetInt64() : 0L,
            r.TryGetProperty("problem", out var p) ? p.GetProperty("rule").GetString() : null))];
}
