using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using static Funnel.Host.Tests.Reports.ReportScenario;

namespace Funnel.Host.Tests.Reports;

/// <summary>Residencies by hand (days): a 2 (X1), 4 (X2), 1 (X3), 1 and 3 (X4); b 3 (X1), 2 (X3), 4 (X2), X3 open since 4; c 4 (X1), 2 (X2); d X4 open since 8.</summary>
[Collection(ReportsCollection.Name)]
public sealed class DwellAndStalledReportTests(FunnelApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => EnsureAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task dwell_summarises_completed_and_open_residencies()
    {
        // As of day 10.5: X2's stay in b ended on day 10; X3's second stay in b (from day 4) is still open; X4 is in d since day 8.
        var report = await app.GetJsonAsync($"/api/funnel/rp/dwell?asOf={Iso(10.5)}");

        // a: [1, 1, 2, 3, 4]: mean 11/5; p90 at rank 0.9 x 4 = 3.6, between 3 and 4.
        AssertDwell(report, 0, "a", 5, 2.2m, 2m, 3.6m, 4m, 0, null);
        // b: [2, 3, 4]: p90 at rank 1.8, between 3 and 4. X3 open 6.5 days.
        AssertDwell(report, 1, "b", 3, 3m, 3m, 3.8m, 4m, 1, 6.5m);
        // c: [2, 4]: p90 at rank 0.9, 2 + 0.9 x 2.
        AssertDwell(report, 2, "c", 2, 3m, 3m, 3.8m, 4m, 0, null);
        AssertDwell(report, 3, "d", 0, null, null, null, null, 1, 2.5m);
    }

    [Theory]
    [InlineData("")] // nothing happens after day 20: the day buckets answer
    [InlineData("&from=2000-01-01T00:00:00Z")] // a window: every stay is scanned
    public async Task dwell_after_the_last_event_counts_every_stay_either_way(string window)
    {
        var report = await app.GetJsonAsync($"/api/funnel/rp/dwell?asOf={Iso(20)}{window}");

        // a: [1, 1, 2, 3, 4] as on day 10.5.
        AssertDwell(report, 0, "a", 5, 2.2m, 2m, 3.6m, 4m, 0, null);
        // b: X3's second stay (4 -> 11) is done too: [2, 3, 4, 7]: mean 4; p50 at rank 1.5 = 3.5; p90 at rank 2.7 = 4 + 0.7 x 3.
        AssertDwell(report, 1, "b", 4, 4m, 3.5m, 6.1m, 7m, 0, null);
        AssertDwell(report, 2, "c", 2, 3m, 3m, 3.8m, 4m, 0, null);
        // d: X4 open since day 8, 12 days by day 20.
        AssertDwell(report, 3, "d", 0, null, null, null, null, 1, 12m);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&from=2000-01-01T00:00:00Z")]
    public async Task dwell_filters_by_the_current_owner_so_a_reassigned_deal_takes_its_stays_along(string window)
    {
        // X4 went from cid to dee on day 6, after its first stay in a (2 -> 3) and during its second (5 -> 8).
        var dee = await app.GetJsonAsync($"/api/funnel/rp/dwell?asOf={Iso(20)}&owner=dee{window}");
        AssertDwell(dee, 0, "a", 2, 2m, 2m, 2.8m, 3m, 0, null); // [1, 3]: p90 at rank 0.9 = 1 + 0.9 x 2
        AssertDwell(dee, 3, "d", 0, null, null, null, null, 1, 12m);

        var cid = await app.GetJsonAsync($"/api/funnel/rp/dwell?asOf={Iso(20)}&owner=cid{window}");
        AssertDwell(cid, 0, "a", 0, null, null, null, null, 0, null);
    }

    [Fact]
    public async Task dwell_from_and_to_select_residencies_by_their_exit()
    {
        // Exits in [3, 5): a: X4 day 3 (1 day), X2 day 4 (4 days), X3 day 4 (1 day); b: X3 day 3 (2 days).
        var report = await app.GetJsonAsync($"/api/funnel/rp/dwell?asOf={Iso(10.5)}&from={Iso(3)}&to={Iso(5)}");

        AssertDwell(report, 0, "a", 3, 2m, 1m, 3.4m, 4m, 0, null); // [1, 1, 4]: p90 at rank 1.8 = 1 + 0.8 x 3
        Assert.Equal(1, report.GetProperty("stages")[1].GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task stalled_deals_are_those_past_their_stage_threshold_most_overdue_first()
    {
        // On day 10.5 X3 (lost only on day 11) is open in b, and X4 in d.
        // X3 in b 6.5 days vs b's p90 of completed stays by then: [2, 3, 4] -> 3.8: overdue 2.7.
        // X4 in d 2.5 days vs d's maxDays 10: not stalled.
        var early = await app.GetJsonAsync($"/api/funnel/rp/stalled?asOf={Iso(10.5)}");
        var deal = Assert.Single(early.GetProperty("deals").EnumerateArray());
        Assert.Equal(("X3", "b", "ann", 350m, 6.5m, 3.8m, 2.7m), Row(deal));
    }

    [Fact]
    public async Task a_stage_max_days_overrides_the_p90()
    {
        // On day 20: X3 was lost on day 11; X4 in d 12 days against maxDays 10 (d has no completed stay).
        var report = await app.GetJsonAsync($"/api/funnel/rp/stalled?asOf={Iso(20)}");
        var deal = Assert.Single(report.GetProperty("deals").EnumerateArray());
        Assert.Equal(("X4", "d", "dee", 400m, 12m, 10m, 2m), Row(deal));
    }

    private static (string?, string?, string?, decimal, decimal, decimal, decimal) Row(JsonElement d) =>
        (d.GetProperty("dealId").GetString(), d.GetProperty("stage").GetString(), d.GetProperty("owner").GetString(), d.GetProperty("amount").GetDecimal(),
         d.GetProperty("daysInStage").GetDecimal(), d.GetProperty("thresholdDays").GetDecimal(), d.GetProperty("overdueDays").GetDecimal());

    private static void AssertDwell(JsonElement report, int index, string stage, int completed, decimal? mean, decimal? p50, decimal? p90, decimal? max, int openCount, decimal? openP50)
    {
        var s = report.GetProperty("stages")[index];
        Assert.Equal(
            (stage, completed, mean, p50, p90, max, openCount, openP50),
            (s.GetProperty("stage").GetString(), s.GetProperty("completed").GetInt32(), Number(s, "meanDays"), Number(s, "p50Days"), Number(s, "p90Days"),
             Number(s, "maxDays"), s.GetProperty("openCount").GetInt32(), Number(s, "openP50Days")));
    }

    private static decimal? Number(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDecimal();
}
