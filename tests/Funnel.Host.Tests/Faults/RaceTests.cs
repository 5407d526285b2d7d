using System.Net;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Faults;

[Collection(FunnelAppCollection.Name)]
public sealed class RaceTests(FunnelApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.PutClassicPipelineAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task captures_racing_for_one_deal_id_give_one_201_and_409_duplicate_deal_to_the_rest()
    {
        for (var round = 0; round < 20; round++)
        {
            var id = $"race-{round}";
            var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
                app.Http.PostJsonAsync("/api/deals", new { dealId = id, pipelineId = "sales", name = "Race", owner = "ann", amount = 10m })));
            var bodies = await Task.WhenAll(responses.Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}"));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.Created) == 1, string.Join("\n", bodies));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                await refused.AssertProblemAsync(HttpStatusCode.Conflict, "dealId", "duplicate-deal");
            }

            Assert.Single(await app.EventsOfAsync(id));
        }
    }
}

