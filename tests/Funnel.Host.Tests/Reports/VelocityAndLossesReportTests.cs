using Funnel.Host.Tests.Infrastructure;
using Marten;
using static Funnel.Host.Tests.Reports.ReportScenario;

namespace Funnel.Host.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed class VelocityAndLossesReportTests(FunnelApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => EnsureAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    // [0, 20): X1 won (120, 9 days from capture), X2 and X3 lost; X4 open at the end. 1 x 1/3 x 120 / 9.
    [InlineData(0, 20, 1, 1, 2, "0.333333", "120", "9", "4.444440")]
    // [0, 10.5): X1 won, X2 lost (X4's loss was undone by its reopening); X3 and X4 open at 10.5. 2 x 0.5 x 120 / 9.
    [InlineData(0, 10.5, 2, 1, 1, "0.5", "120", "9", "13.333333")]
    public async Task velocity_multiplies_its_factors(double from, double to, int open, int won, int lost, string winRate, string averageWon, string cycle, string velocity)
    {
        var report = await app.GetJsonAsync($"/api/funnel/rp/velocity?from={Iso(from)}&to={Iso(to)}");

        Assert.Equal(
            (open, won, lost, decimal.Parse(winRate), decimal.Parse(averageWon), decimal.Parse(cycle), decimal.Parse(velocity)),
            (report.GetProperty("openCount").GetInt32(), report.GetProperty("wonCount").GetInt32(), report.GetProperty("lostCount").GetInt32(),
             report.GetProperty("closedWinRate").GetDecimal(), report.GetProperty("averageWonAmount").GetDecimal(), report.GetProperty("averageCycleDays").GetDecimal(),
             report.GetProperty("velocityPerDay").GetDecimal()));
    }

    [Fact]
    public async Task velocity_up_to_now_takes_the_deals_open_now()
    {
        // From day 0 to now: the same closes as [0, 20) and X4 still open: 1 x 1/3 x 120 / 9.
        var report = await app.GetJsonAsync($"/api/funnel/rp/velocity?from={Iso(0)}");
        Assert.Equal((1, 4.444440m), (report.GetProperty("openCount").GetInt32(), report.GetProperty("velocityPerDay").GetDecimal()));
    }

    [Fact]
    public async Task losses_count_deals_lost_now_by_reason()
    {
        // X2 "price" 200, X3 "no budget" 350; X4's "budget" loss was undone by its reopening.
        var report = await app.GetJsonAsync("/api/funnel/rp/losses");
        Assert.Equal(
            [("no budget", 1L, 350m), ("price", 1L, 200m)],
            report.GetProperty("reasons").EnumerateArray().Select(r => (r.GetProperty("reason").GetString(), r.GetProperty("count").GetInt64(), r.GetProperty("amount").GetDecimal())));

        var late = await app.GetJsonAsync($"/api/funnel/rp/losses?from={Iso(10.5)}");
        Assert.Equal(["no budget"], late.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task the_deal_list_filters_by_pipeline_status_and_owner()
    {
        var open = await app.GetJsonAsync("/api/deals?pipelineId=rp&status=open");
        Assert.Equal(["X4"], open.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("dealId").GetString()));

        var anns = await app.GetJsonAsync("/api/deals?pipelineId=rp&owner=ann&pageSize=1&page=2");
        Assert.Equal(2, anns.GetProperty("total").GetInt32());
        Assert.Equal(["X3"], anns.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("dealId").GetString()));

        // Past the last page: no items, but still the count of all.
        var beyond = await app.GetJsonAsync("/api/deals?pipelineId=rp&owner=ann&pageSize=1&page=3");
        Assert.Equal((0, 2), (beyond.GetProperty("items").GetArrayLength(), beyond.GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task a_report_says_how_fresh_it_is()
    {
        var report = await app.GetJsonAsync("/api/funnel/rp/losses");
        var freshness = report.GetProperty("freshness");
        Assert.Equal(0, freshness.GetProperty("lagEvents").GetInt64());
        Assert.Equal(0, freshness.GetProperty("lagSeconds").GetDouble());

        // Its cursor is where the read models stand in the feed: at the last event, so nothing comes after it.
        var last = (await app.Http.GetStringAsync("/api/events?limit=100000")).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal(System.Text.Json.JsonDocument.Parse(last).RootElement.GetProperty("cursor").GetString(), freshness.GetProperty("cursor").GetString());
        Assert.Empty(await app.Http.GetStringAsync($"/api/events?after={freshness.GetProperty("cursor").GetString()}"));
    }
}
