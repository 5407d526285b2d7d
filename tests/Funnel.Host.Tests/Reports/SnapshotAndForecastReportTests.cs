using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using Marten;
using static Funnel.Host.Tests.Reports.ReportScenario;

namespace Funnel.Host.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed class SnapshotAndForecastReportTests(FunnelApp app) : IAsyncLifetime
{
    private DateTimeOffset knownBeforeLoss;

    public async Task InitializeAsync() => knownBeforeLoss = await EnsureAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_snapshot_holds_each_deal_where_it_stood_with_the_amount_it_had()
    {
        // Day 3.25: X1 in b (100), X2 in a (200), X3 in a at 300 (its 350 came at 3.5), X4 lost on day 3 (reopened only on 5).
        var report = await app.GetJsonAsync($"/api/funnel/rp/snapshot?asOf={Iso(3.25)}");

        AssertStage(report, 0, "a", 2, 500m, 50m);
        AssertStage(report, 1, "b", 1, 100m, 30m);
        AssertStage(report, 2, "c", 0, 0m, 0m);
        AssertOutcome(report, "won", 0, 0m);
        AssertOutcome(report, "lost", 1, 400m);
    }

    [Fact]
    public async Task a_reopened_deal_is_open_again_and_amount_changes_show()
    {
        // Day 7: X4 back in a (400); X2 (200, regressed on 6) and X3 (350) in b; X1 in c (100). Probabilities 10/30/50%.
        var report = await app.GetJsonAsync($"/api/funnel/rp/snapshot?asOf={Iso(7)}");

        AssertStage(report, 0, "a", 1, 400m, 40m);
        AssertStage(report, 1, "b", 2, 550m, 165m);
        AssertStage(report, 2, "c", 1, 100m, 50m);
        AssertOutcome(report, "lost", 0, 0m);
    }

    [Fact]
    public async Task known_at_answers_as_the_pipeline_was_known_then()
    {
        // Day 12 as known now: X3's loss (on day 11) is recorded. As known before that was recorded: X3 still open in b at 350.
        var now = await app.GetJsonAsync($"/api/funnel/rp/snapshot?asOf={Iso(12)}");
        AssertStage(now, 1, "b", 0, 0m, 0m);
        AssertStage(now, 3, "d", 1, 400m, 320m);
        AssertOutcome(now, "won", 1, 120m);
        AssertOutcome(now, "lost", 2, 550m);

        var then = await app.GetJsonAsync($"/api/funnel/rp/snapshot?asOf={Iso(12)}&knownAt={Uri.EscapeDataString(knownBeforeLoss.ToString("O"))}");
        AssertStage(then, 1, "b", 1, 350m, 105m);
        AssertOutcome(then, "lost", 1, 200m);
    }

    [Fact]
    public async Task the_snapshot_now_is_the_funnel_as_it_stands()
    {
        // Now (no asOf, no knownAt: the current deals and running counts answer it): only X4 is open, in d at 400 x 80%;
        // X1 won at 120; X2 (200) and X3 (350) lost.
        var now = await app.GetJsonAsync("/api/funnel/rp/snapshot");
        AssertStage(now, 0, "a", 0, 0m, 0m);
        AssertStage(now, 1, "b", 0, 0m, 0m);
        AssertStage(now, 3, "d", 1, 400m, 320m);
        AssertOutcome(now, "won", 1, 120m);
        AssertOutcome(now, "lost", 2, 550m);

        var anns = await app.GetJsonAsync("/api/funnel/rp/snapshot?owner=ann");
        AssertStage(anns, 3, "d", 0, 0m, 0m);
        AssertOutcome(anns, "won", 1, 120m);
        AssertOutcome(anns, "lost", 1, 350m);
    }

    [Fact]
    public async Task explain_gives_the_deals_and_the_event_versions_behind_a_snapshot()
    {
        var report = await app.GetJsonAsync($"/api/funnel/rp/snapshot?asOf={Iso(7)}&explain=true");

        var b = report.GetProperty("stages")[1];
        Assert.Equal(["X2", "X3"], b.GetProperty("deals").EnumerateArray().Select(d => d.GetString()));
        // The events that put them where they stood: X2's regression to b (day 6), X3's move back to b (day 4).
        Assert.Equal([await VersionOf("X2", Day(6)), await VersionOf("X3", Day(4))], b.GetProperty("versions").EnumerateArray().Select(s => s.GetInt64()));
    }

    [Fact]
    public async Task the_forecast_weighs_open_deals_by_the_probabilities_in_force_then_or_today()
    {
        // Day 7 (as in the snapshot): 400 x 10% + 550 x 30% + 100 x 50% = 255. With today's definition b is 60%: 40 + 330 + 50 = 420.
        var then = await app.GetJsonAsync($"/api/funnel/rp/forecast?asOf={Iso(7)}");
        Assert.Equal((4, 1050m, 255m), Totals(then));
        Assert.Equal(["a", "b", "c"], then.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));

        var current = await app.GetJsonAsync($"/api/funnel/rp/forecast?asOf={Iso(7)}&probabilities=current");
        Assert.Equal((4, 1050m, 420m), Totals(current));
    }

    [Fact]
    public async Task the_forecast_groups_by_owner_at_the_time_and_filters()
    {
        // Now only X4 is open: in d (80%), owned by dee since its reassignment.
        var now = await app.GetJsonAsync("/api/funnel/rp/forecast?groupBy=owner");
        var group = Assert.Single(now.GetProperty("groups").EnumerateArray());
        Assert.Equal(("dee", 1L, 400m, 320m), (group.GetProperty("key").GetString(), group.GetProperty("count").GetInt64(), group.GetProperty("totalAmount").GetDecimal(), group.GetProperty("weightedAmount").GetDecimal()));

        // Day 7, ann's deals: X1 in c (100 x 50%) and X3 in b (350 x 30%).
        Assert.Equal((2, 450m, 155m), Totals(await app.GetJsonAsync($"/api/funnel/rp/forecast?asOf={Iso(7)}&owner=ann")));
    }

    [Fact]
    public async Task a_deal_as_of_an_instant_is_the_deal_as_it_stood()
    {
        var before = await app.GetJsonAsync($"/api/deals/X3?asOf={Iso(3.25)}");
        Assert.Equal(("a", "open", 300m, 0.1m, 30m), Deal(before));
        Assert.Equal(("a", "open", 350m, 0.1m, 35m), Deal(await app.GetJsonAsync($"/api/deals/X3?asOf={Iso(3.75)}")));
        Assert.Equal(("a", "lost", 400m, 0m, 0m), Deal(await app.GetJsonAsync($"/api/deals/X4?asOf={Iso(4)}")));
    }

    private async Task<long> VersionOf(string dealId, DateTimeOffset occurredAt)
    {
        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(dealId);
        return events.Single(e => e.Data is Funnel.Domain.Deals.DealStageChanged c && c.OccurredAt == occurredAt).Version;
    }

    private static (string?, string?, decimal, decimal, decimal) Deal(JsonElement d) =>
        (d.GetProperty("stage").GetString(), d.GetProperty("status").GetString(), d.GetProperty("amount").GetDecimal(), d.GetProperty("probability").GetDecimal(), d.GetProperty("weightedAmount").GetDecimal());

    private static (long, decimal, decimal) Totals(JsonElement report) =>
        (report.GetProperty("count").GetInt64(), report.GetProperty("totalAmount").GetDecimal(), report.GetProperty("weightedAmount").GetDecimal());

    private static void AssertStage(JsonElement report, int index, string stage, int count, decimal amount, decimal weighted)
    {
        var s = report.GetProperty("stages")[index];
        Assert.Equal((stage, count, amount, weighted), (s.GetProperty("stage").GetString(), s.GetProperty("count").GetInt32(), s.GetProperty("amount").GetDecimal(), s.GetProperty("weightedAmount").GetDecimal()));
    }

    private static void AssertOutcome(JsonElement report, string outcome, int count, decimal amount) =>
        Assert.Equal((count, amount), (report.GetProperty(outcome).GetProperty("count").GetInt32(), report.GetProperty(outcome).GetProperty("amount").GetDecimal()));
}
