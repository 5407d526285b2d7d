using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>The funnel as it was known at an instant, from the known interval counts, against the intervals as recorded.</summary>
public sealed partial class DatedCounterTests
{
    /// <summary>(days before the demo's end of knownAt, hours after it of asOf): as known then about then, a little and long after.</summary>
    public static TheoryData<double, double, string> KnownInstants => new()
    {
        { 200, 0, "" }, { 200.37, 0, "owner=Ada Park,Kai Lund" }, { 120, 0.05, "" }, { 90.5, 24 * 30, "team=Enterprise;region=West" },
        { 300, 24 * 150, "product=Team" }, { 3, 2, "" }, { 45.2, 24 * 45, "" },
    };

    [Theory]
    [MemberData(nameof(KnownInstants))]
    public async Task a_counted_snapshot_as_known_then_equals_the_scanned_one(double daysBefore, double hoursLater, string filters)
    {
        var knownAt = DemoEnd.AddDays(-daysBefore);
        var query = new SnapshotQuery(DemoHistory.PipelineId, Filter(filters), knownAt.AddHours(hoursLater), knownAt, false, false) { Zone = BerlinApp.Berlin };
        Assert.True(query.KnownCountable);

        var counted = await SnapshotReport.RunAsync(Db, query, ["validate", "develop", "propose", "close"], CancellationToken.None);
        var scanned = await SnapshotReport.RunAsync(Db, query with { Explain = true }, ["validate", "develop", "propose", "close"], CancellationToken.None);

        Assert.Equal(scanned.Stages.Select(s => (s.Stage, s.Count, s.Amount, s.WeightedAmount)), counted.Stages.Select(s => (s.Stage, s.Count, s.Amount, s.WeightedAmount)));
        Assert.Equal((scanned.Won.Count, scanned.Won.Amount, scanned.Lost.Count, scanned.Lost.Amount), (counted.Won.Count, counted.Won.Amount, counted.Lost.Count, counted.Lost.Amount));
        Assert.True(counted.Stages.Sum(s => s.Count) + counted.Won.Count + counted.Lost.Count > 0);
    }

    [Theory]
    [InlineData(ForecastGrouping.Owner, 0)]
    [InlineData(ForecastGrouping.Team, 24 * 20)]
    public async Task a_counted_forecast_as_known_then_equals_the_scanned_one(ForecastGrouping groupBy, double hoursLater)
    {
        var knownAt = DemoEnd.AddDays(-150.4);
        var query = new ForecastQuery(DemoHistory.PipelineId, ReportFilter.None, groupBy, knownAt.AddHours(hoursLater), false, false) { KnownAt = knownAt, Zone = BerlinApp.Berlin };
        Assert.True(query.Countable);

        var counted = await ForecastReport.RunAsync(Db, query, CancellationToken.None);
        var scanned = await ForecastReport.RunAsync(Db, query with { Explain = true }, CancellationToken.None);

        Assert.Equal(scanned.Groups.Select(g => (g.Key, g.Count, g.TotalAmount, g.WeightedAmount)), counted.Groups.Select(g => (g.Key, g.Count, g.TotalAmount, g.WeightedAmount)));
        Assert.True(counted.Count > 10);
    }

    [Fact]
    public async Task a_loss_recorded_after_knownat_leaves_the_deal_open_as_known_then()
    {
        // The scenario's X3 was lost on day 11, recorded after everything else: as known just before, at day 16, it is open in b.
        var knownBeforeLoss = await ReportScenario.EnsureAsync(app);
        var query = new SnapshotQuery("rp", ReportFilter.None, knownBeforeLoss.AddSeconds(1), knownBeforeLoss, false, false) { Zone = BerlinApp.Berlin };
        var counted = await SnapshotReport.RunAsync(Db, query, ["a", "b", "c", "d"], CancellationToken.None);
        var scanned = await SnapshotReport.RunAsync(Db, query with { Explain = true }, ["a", "b", "c", "d"], CancellationToken.None);

        Assert.Equal(scanned.Stages.Select(s => (s.Stage, s.Count, s.Amount)), counted.Stages.Select(s => (s.Stage, s.Count, s.Amount)));
        Assert.Equal((1L, 350m), (counted.Stages.Single(s => s.Stage == "b").Count, counted.Stages.Single(s => s.Stage == "b").Amount));
        Assert.Equal((1L, 200m), (counted.Lost.Count, counted.Lost.Amount));
    }

    [Fact]
    public async Task events_dated_minutes_after_their_recording_count_from_their_business_time()
    {
        // K1 moves a → b and K2 is lost, both dated two and three minutes after they are recorded (the allowed skew): as
        // known right after, at that instant both still stand in a; ten minutes on, K1 is in b and K2 lost.
        var now = DateTimeOffset.UtcNow;
        var http = app.Http;
        await Ok(http.PutAsync("/api/pipelines/kn", HttpAssertions.JsonText($$"""
            {"name":"Known pipeline","occurredAt":"{{now.AddHours(-2):O}}","stages":[{"id":"a","name":"A","probability":0.1},{"id":"b","name":"B","probability":0.5}]}
            """)));
        foreach (var id in new[] { "K1", "K2" })
        {
            await Ok(http.PostJsonAsync("/api/deals", new { dealId = id, pipelineId = "kn", name = id, owner = "kim", amount = 100m, stage = "a", occurredAt = now.AddHours(-1) }));
        }

        await Ok(http.PostJsonAsync("/api/deals/K1/stage", new { stage = "b", occurredAt = now.AddMinutes(2) }));
        await Ok(http.PostJsonAsync("/api/deals/K2/lose", new { reason = "price", occurredAt = now.AddMinutes(3) }));
        await app.CatchUpAsync();
        var knownAt = DateTimeOffset.UtcNow;

        foreach (var (asOf, inA, inB, lost) in new[] { (knownAt, 2L, 0L, 0L), (knownAt.AddMinutes(10), 0L, 1L, 1L) })
        {
            var query = new SnapshotQuery("kn", ReportFilter.None, asOf, knownAt, false, false) { Zone = BerlinApp.Berlin };
            Assert.True(query.KnownCountable);
            var counted = await SnapshotReport.RunAsync(Db, query, ["a", "b"], CancellationToken.None);
            var scanned = await SnapshotReport.RunAsync(Db, query with { Explain = true }, ["a", "b"], CancellationToken.None);
            Assert.Equal((inA, inB, lost), (counted.Stages[0].Count, counted.Stages[1].Count, counted.Lost.Count));
            Assert.Equal((scanned.Stages[0].Count, scanned.Stages[1].Count, scanned.Lost.Count), (counted.Stages[0].Count, counted.Stages[1].Count, counted.Lost.Count));
        }
    }
}
