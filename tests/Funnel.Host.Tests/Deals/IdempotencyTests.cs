using System.Net;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Deals;

[Collection(FunnelAppCollection.Name)]
public sealed class IdempotencyTests(FunnelApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_retried_capture_returns_the_first_answer_and_appends_nothing()
    {
        var body = new { pipelineId = "sales", name = "Retry", owner = "ann", amount = 10m };
        var first = await (await app.Http.PostJsonAsync("/api/deals", body, "key-capture")).ReadJsonAsync(HttpStatusCode.Created);
        var second = await (await app.Http.PostJsonAsync("/api/deals", body, "key-capture")).ReadJsonAsync(HttpStatusCode.Created);

        var dealId = first.GetProperty("dealId").GetString()!;
        Assert.Equal(dealId, second.GetProperty("dealId").GetString());
        Assert.Equal(1, second.GetProperty("version").GetInt64());
        Assert.Equal(1, await app.CountEventsAsync() - 1); // the pipeline's own event, and one capture
    }

    [Fact]
    public async Task a_retried_stage_change_returns_the_first_answer_and_appends_nothing()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "I-1", pipelineId = "sales", name = "Retry", owner = "ann", amount = 10m });
        var first = await (await app.Http.PostJsonAsync("/api/deals/I-1/stage", new { stage = "develop" }, "key-stage")).ReadJsonAsync(HttpStatusCode.OK);
        var retry = await (await app.Http.PostJsonAsync("/api/deals/I-1/stage", new { stage = "develop" }, "key-stage")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, first.GetProperty("version").GetInt64());
        Assert.Equal(2, retry.GetProperty("version").GetInt64());
        Assert.Equal(2, (await app.EventsOfAsync("I-1")).Count);
    }

    [Fact]
    public async Task a_retried_win_is_not_refused_as_a_change_to_a_won_deal()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "I-2", pipelineId = "sales", name = "Retry", owner = "ann", amount = 10m });
        await (await app.Http.PostJsonAsync("/api/deals/I-2/win", new { }, "key-win")).ReadJsonAsync(HttpStatusCode.OK);
        var retry = await (await app.Http.PostJsonAsync("/api/deals/I-2/win", new { }, "key-win")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, retry.GetProperty("version").GetInt64());
        Assert.Equal(2, (await app.EventsOfAsync("I-2")).Count);
    }

    [Fact]
    public async Task a_key_reused_for_another_deal_is_a_conflict()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "I-3", pipelineId = "sales", name = "A", owner = "ann", amount = 10m });
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "I-4", pipelineId = "sales", name = "B", owner = "ann", amount = 10m });
        await app.Http.PostJsonAsync("/api/deals/I-3/amount", new { amount = 20m }, "key-shared");

        var response = await app.Http.PostJsonAsync("/api/deals/I-4/amount", new { amount = 30m }, "key-shared");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "Idempotency-Key", "idempotency-key-reused");
        Assert.Single(await app.EventsOfAsync("I-4"));
    }
}
