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

    [Fact]
    public async Task sixty_four_writers_with_expected_version_lose_no_update_and_every_refusal_is_a_409()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "W-1", pipelineId = "sales", name = "Race", owner = "ann", amount = 10m });

        // Each writer reads the version, then quotes at it, a few times: the store decides who wins each round.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 64).Select(async writer =>
        {
            var mine = new List<HttpStatusCode>();
            for (var round = 0; round < 3; round++)
            {
                var version = (await app.GetJsonAsync("/api/deals/W-1")).GetProperty("version").GetInt64();
                var response = await app.Http.PostJsonAsync("/api/deals/W-1/quote", new { amount = 100m + writer, expectedVersion = version });
                mine.Add(response.StatusCode);
            }

            return mine;
        }));

        var all = statuses.SelectMany(s => s).ToList();
        Assert.All(all, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{s}"));
        var accepted = all.Count(s => s == HttpStatusCode.OK);
        Assert.True(accepted > 0);
        Assert.Equal(1 + accepted, (await app.GetJsonAsync("/api/deals/W-1")).GetProperty("version").GetInt64());
        Assert.Equal(1 + accepted, (await app.EventsOfAsync("W-1")).Count);
    }

    [Fact]
    public async Task without_expected_version_writers_of_one_deal_queue_and_every_command_lands()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "W-2", pipelineId = "sales", name = "Race", owner = "ann", amount = 10m });

        var responses = await Task.WhenAll(Enumerable.Range(0, 64).Select(writer =>
            app.Http.PostJsonAsync("/api/deals/W-2/quote", new { amount = 100m + writer })));

        var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "expectedVersion", "version-conflict");
        }

        // Writers without expectedVersion queue on the deal: every one lands, none is lost.
        Assert.Equal(64, ok);
        Assert.Equal(1 + ok, (await app.EventsOfAsync("W-2")).Count);
    }
}
