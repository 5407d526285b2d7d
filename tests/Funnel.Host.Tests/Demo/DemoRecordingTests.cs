using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Marten;

namespace Funnel.Host.Tests.Demo;

/// <summary>A store of its own for the demo as recorded: it waits for the projection, which a reset under way would stall.</summary>
public sealed class RecordedDemoApp : FunnelApp;

public sealed class DemoRecordingTests(RecordedDemoApp app) : IClassFixture<RecordedDemoApp>
{
    private static readonly DateTimeOffset End = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SeededAt = End.AddHours(9);

    [Fact]
    public async Task the_demo_is_recorded_as_a_crm_records_so_the_funnel_as_known_then_differs_from_today()
    {
        await DemoSeeder.SeedAsync(app.Store, 400, End, SeededAt, CancellationToken.None);
        await app.CatchUpAsync();

        // Each deal's events as stored: in stream order, with the business time they carry and the time they were recorded.
        var streams = new Dictionary<string, List<(object Data, DateTimeOffset Occurred, DateTimeOffset Recorded)>>();
        await using (var session = app.Store.QuerySession())
        {
            foreach (var e in (await session.Events.QueryAllRawEvents().Where(e => e.StreamKey!.StartsWith("demo-")).ToListAsync()).OrderBy(e => e.Sequence))
            {
                var occurred = e.Data is Funnel.Domain.Activities.ActivityLogged a ? a.OccurredAt : ((Funnel.Domain.Deals.IDealEvent)e.Data).OccurredAt;
                (streams.TryGetValue(e.StreamKey!, out var list) ? list : streams[e.StreamKey!] = []).Add((e.Data, occurred, e.Timestamp));
            }
        }

        var all = streams.Values.SelectMany(s => s).ToList();
        Assert.All(all, e => Assert.InRange(e.Recorded, e.Occurred, SeededAt));
        Assert.All(streams.Values, s => Assert.Equal(s.Select(e => e.Recorded).Order(), s.Select(e => e.Recorded)));
        var late = all.Count(e => e.Recorded - e.Occurred > TimeSpan.FromDays(1)) / (double)all.Count;
        Assert.True(late is > 0.05 and < 0.30, $"{late:P1} of the events were recorded more than a day late");

        // Open deals per stage at a past instant, as known today and as known then, folded here from the stored events.
        var asOf = End.AddDays(-60);
        Dictionary<string, int> OpenByStage(DateTimeOffset knownAt) => streams.Values
            .Select(s => Funnel.Domain.Deals.Deal.Fold(s.TakeWhile(e => e.Recorded <= knownAt).Where(e => e.Occurred <= asOf).Select(e => e.Data)))
            .Where(d => d is { Status: Funnel.Domain.Deals.DealStatus.Open })
            .GroupBy(d => d!.Stage).ToDictionary(g => g.Key, g => g.Count());
        var (today, then) = (OpenByStage(DateTimeOffset.MaxValue), OpenByStage(asOf));
        Assert.NotEqual(today.Values.Sum(), then.Values.Sum());

        var at = Uri.EscapeDataString(asOf.ToString("O"));
        foreach (var (expected, query) in new[] { (today, $"asOf={at}"), (then, $"asOf={at}&knownAt={at}") })
        {
            var snapshot = await app.GetJsonAsync($"/api/funnel/{DemoHistory.PipelineId}/snapshot?{query}");
            foreach (var stage in snapshot.GetProperty("stages").EnumerateArray())
            {
                Assert.Equal(expected.GetValueOrDefault(stage.GetProperty("stage").GetString()!), stage.GetProperty("count").GetInt32());
            }
        }
    }
}
