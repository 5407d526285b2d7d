using System.Net;
using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Marten;

namespace Funnel.Host.Tests.Demo;

[Collection(FunnelAppCollection.Name)]
public sealed class DemoSeederTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset End = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SeededAt = End.AddHours(9);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task the_demo_history_is_stored_in_batches_and_served()
    {
        var expected = DemoHistory.Deals(1200, End).ToList();

        var appended = await DemoSeeder.SeedAsync(app.Store, 1200, End, SeededAt, CancellationToken.None);

        // The pipeline, a target definition per quarter, the reps' own activities, then the deals' events (their activities among them).
        Assert.Equal(1 + DemoHistory.Targets(End).Count() + DemoHistory.Prospecting(End).Sum(r => r.Events.Count) + expected.Sum(d => d.Events.Count), appended);
        Assert.Equal(appended, await app.CountEventsAsync());
        var last = Funnel.Domain.Deals.Deal.Fold(expected[^1].Events)!;
        var served = await (await app.Http.GetAsync($"/api/deals/{expected[^1].DealId}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(last.Stage, served.GetProperty("stage").GetString());
        Assert.Equal(last.Amount, served.GetProperty("amount").GetDecimal());
        Assert.Equal(expected[^1].Events.Count, served.GetProperty("version").GetInt32());
    }
}
