using System.Net;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Deals;

[Collection(FunnelAppCollection.Name)]
public sealed class GetDealTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_open_deal_is_weighted_by_its_stage_probability()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "G-1", pipelineId = "sales", name = "Acme", owner = "ann", team = "east", amount = 1000m, occurredAt = T0 });
        await app.Http.PostJsonAsync("/api/deals/G-1/stage", new { stage = "propose", occurredAt = T0.AddDays(3) });
        await app.Http.PostJsonAsync("/api/deals/G-1/quote", new { amount = 1200m, occurredAt = T0.AddDays(4) });

        var deal = await (await app.Http.GetAsync("/api/deals/G-1")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("sales", deal.GetProperty("pipelineId").GetString());
        Assert.Equal("propose", deal.GetProperty("stage").GetString());
        Assert.Equal("open", deal.GetProperty("status").GetString());
        Assert.Equal(1200m, deal.GetProperty("amount").GetDecimal());
        Assert.Equal(0.5m, deal.GetProperty("probability").GetDecimal());
        Assert.Equal(600m, deal.GetProperty("weightedAmount").GetDecimal()); // 1200 x 0.5
        Assert.Equal("ann", deal.GetProperty("owner").GetString());
        Assert.Equal("east", deal.GetProperty("team").GetString());
        Assert.Equal(T0.AddDays(3), deal.GetProperty("stageEnteredAt").GetDateTimeOffset());
        Assert.Equal(3, deal.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task a_won_deal_weighs_its_full_amount_and_a_lost_one_nothing()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "G-2", pipelineId = "sales", name = "W", owner = "ann", amount = 400m, occurredAt = T0 });
        await app.Http.PostJsonAsync("/api/deals/G-2/win", new { amount = 450m, occurredAt = T0.AddDays(1) });
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "G-3", pipelineId = "sales", name = "L", owner = "ann", amount = 400m, occurredAt = T0 });
        await app.Http.PostJsonAsync("/api/deals/G-3/lose", new { reason = "budget", occurredAt = T0.AddDays(1) });

        var won = await (await app.Http.GetAsync("/api/deals/G-2")).ReadJsonAsync(HttpStatusCode.OK);
        var lost = await (await app.Http.GetAsync("/api/deals/G-3")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(("won", 450m, 450m), (won.GetProperty("status").GetString(), won.GetProperty("amount").GetDecimal(), won.GetProperty("weightedAmount").GetDecimal()));
        Assert.Equal(("lost", 0m, "budget"), (lost.GetProperty("status").GetString(), lost.GetProperty("weightedAmount").GetDecimal(), lost.GetProperty("lossReason").GetString()));
    }
}
