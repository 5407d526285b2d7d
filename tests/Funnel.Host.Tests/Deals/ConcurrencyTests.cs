using System.Net;
using Funnel.Domain.Deals;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Deals;

[Collection(FunnelAppCollection.Name)]
public sealed class ConcurrencyTests(FunnelApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task of_concurrent_win_and_lose_exactly_one_lands_and_the_others_get_409()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "C-1", pipelineId = "sales", name = "Race", owner = "ann", amount = 10m });

        var requests = Enumerable.Range(0, 8).Select(i => i % 2 == 0
            ? app.Http.PostJsonAsync("/api/deals/C-1/win", new { })
            : app.Http.PostJsonAsync("/api/deals/C-1/lose", new { reason = "race" }));
        var statuses = (await Task.WhenAll(requests)).Select(r => r.StatusCode).ToList();

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.Conflict));
        var events = await app.EventsOfAsync("C-1");
        Assert.Equal(2, events.Count);
        Assert.Single(events, e => e is DealWon or DealLost);
    }

    [Fact]
    public async Task of_concurrent_stage_changes_at_one_expected_version_exactly_one_lands()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "C-2", pipelineId = "sales", name = "Race", owner = "ann", amount = 10m });

        var stages = new[] { "develop", "propose", "close", "develop", "propose", "close" };
        var responses = await Task.WhenAll(stages.Select(s => app.Http.PostJsonAsync("/api/deals/C-2/stage", new { stage = s, expectedVersion = 1 })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "expectedVersion", "version-conflict");
        }

        Assert.Equal(2, (await app.EventsOfAsync("C-2")).Count);
    }
}
