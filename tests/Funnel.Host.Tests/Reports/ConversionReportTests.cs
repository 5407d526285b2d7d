using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using static Funnel.Host.Tests.Reports.ReportScenario;

namespace Funnel.Host.Tests.Reports;

/// <summary>Expected numbers are worked out by hand from the scenario in <see cref="ReportScenario"/>.</summary>
[Collection(ReportsCollection.Name)]
public sealed class ConversionReportTests(FunnelApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => EnsureAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task each_stage_counts_distinct_entrants_and_what_became_of_them()
    {
        var report = await app.GetJsonAsync("/api/funnel/rp/conversion");

        // a: X1..X4 entered; all four later reached a later stage (X4 only after its reopening); X1 won, X2 lost, X3 lost (day 11), X4 open.
        AssertStage(report, 0, "a", entered: 4, advanced: 4, won: 1, lost: 2, open: 1, conversionRate: 1m, winRate: 0.25m);
        // b: X1, X3 (captured there), X2 (by regression); only X1 went further (to c).
        AssertStage(report, 1, "b", 3, 1, 1, 2, 0, 0.333333m, 0.333333m);
        // c: X1 (won from c) and X2 (regressed out of c, never further).
        AssertStage(report, 2, "c", 2, 1, 1, 1, 0, 0.5m, 0.5m);
        AssertStage(report, 3, "d", 1, 0, 0, 0, 1, 0m, 0m);

        var total = report.GetProperty("total");
        Assert.Equal((4, 1, 2, 1), (total.GetProperty("entered").GetInt32(), total.GetProperty("won").GetInt32(), total.GetProperty("lost").GetInt32(), total.GetProperty("open").GetInt32()));
        Assert.Equal(0.25m, total.GetProperty("winRate").GetDecimal());
        Assert.Equal(0.333333m, total.GetProperty("closedWinRate").GetDecimal()); // 1 / (1 + 2)
    }

    [Fact]
    public async Task within_counts_only_advances_soon_enough_after_the_first_entry()
    {
        var report = await app.GetJsonAsync("/api/funnel/rp/conversion?within=3d");

        // a: X1 2 days, X2 4, X3 1 (entered day 3, b on day 4), X4 6 -> X1 and X3. b: X1 3 days (exactly 3 counts). c: X1 won 4 days after.
        Assert.Equal(2, Stage(report, 0).GetProperty("advanced").GetInt32());
        Assert.Equal(1, Stage(report, 1).GetProperty("advanced").GetInt32());
        Assert.Equal(0, Stage(report, 2).GetProperty("advanced").GetInt32());
    }

    [Fact]
    public async Task from_and_to_select_deals_by_their_first_entry()
    {
        var report = await app.GetJsonAsync($"/api/funnel/rp/conversion?from={Day(1):O}&to={Day(5):O}");

        // First entries into a in [1, 5): X3 (day 3) and X4 (day 2); both later advanced; X3 lost, X4 open.
        AssertStage(report, 0, "a", 2, 2, 0, 1, 1, 1m, 0m);
        Assert.Equal(Day(1), report.GetProperty("filters").GetProperty("from").GetDateTimeOffset());
    }

    [Fact]
    public async Task as_of_an_earlier_instant_counts_what_was_known_to_have_happened_by_then()
    {
        var report = await app.GetJsonAsync($"/api/funnel/rp/conversion?asOf={Day(7):O}");

        // By day 7 all four had entered a; X1, X2, X3 had advanced (X4 only on day 8); all four were open then.
        AssertStage(report, 0, "a", 4, 3, 0, 0, 4, 0.75m, 0m);
    }

    [Fact]
    public async Task filters_narrow_to_the_deals_current_owner_and_are_echoed()
    {
        var report = await app.GetJsonAsync("/api/funnel/rp/conversion?owner=ann&owner=dee");

        // ann: X1, X3; dee: X4 (reassigned from cid).
        AssertStage(report, 0, "a", 3, 3, 1, 1, 1, 1m, 0.333333m);
        Assert.Equal(["ann", "dee"], report.GetProperty("filters").GetProperty("owner").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task explain_lists_the_deals_behind_each_number()
    {
        var report = await app.GetJsonAsync("/api/funnel/rp/conversion?explain=true");

        var deals = Stage(report, 1).GetProperty("deals");
        Assert.Equal(["X1", "X2", "X3"], Ids(deals, "entered"));
        Assert.Equal(["X1"], Ids(deals, "advanced"));
        Assert.Equal(["X2", "X3"], Ids(deals, "lost"));
    }

    private static JsonElement Stage(JsonElement report, int index) => report.GetProperty("stages")[index];

    private static IEnumerable<string?> Ids(JsonElement deals, string name) => deals.GetProperty(name).EnumerateArray().Select(d => d.GetString());

    private static void AssertStage(JsonElement report, int index, string stage, int entered, int advanced, int won, int lost, int open, decimal conversionRate, decimal winRate)
    {
        var s = Stage(report, index);
        Assert.Equal(
            (stage, entered, advanced, won, lost, open, conversionRate, winRate),
            (s.GetProperty("stage").GetString(), s.GetProperty("entered").GetInt32(), s.GetProperty("advanced").GetInt32(), s.GetProperty("won").GetInt32(),
             s.GetProperty("lost").GetInt32(), s.GetProperty("open").GetInt32(), s.GetProperty("conversionRate").GetDecimal(), s.GetProperty("winRate").GetDecimal()));
    }
}
