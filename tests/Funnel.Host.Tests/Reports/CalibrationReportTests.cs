using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using static Funnel.Host.Tests.Reports.ReportScenario;

namespace Funnel.Host.Tests.Reports;

/// <summary>
/// Calibration over the report scenario, by hand. Every stage a deal ever entered counts (regressions too): a was entered
/// by X1, X2, X3 (its regression on day 3) and X4; b by X1, X2 (regression), X3; c by X1, X2; d by X4. Now X1 is won, X2
/// and X3 lost, X4 open in d. Wilson intervals (z = 1.959964) from a separate calculation: 1 of 3 → [0.061492, 0.792340],
/// 1 of 2 → [0.094531, 0.905469], 0 of 1 → [0, 0.793451].
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class CalibrationReportTests(FunnelApp app) : IAsyncLifetime
{
    public async Task InitializeAsync() => await EnsureAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task each_stage_sets_its_probability_against_the_rate_its_closed_deals_show()
    {
        var report = await app.GetJsonAsync("/api/funnel/rp/calibration");

        // Probabilities of the definition in force now (b redefined to 60 % on day 15).
        AssertStage(report, 0, "a", 0.1m, entered: 4, closed: 3, won: 1, 0.333333m, 0.061492m, 0.792340m);
        AssertStage(report, 1, "b", 0.6m, entered: 3, closed: 3, won: 1, 0.333333m, 0.061492m, 0.792340m);
        AssertStage(report, 2, "c", 0.5m, entered: 2, closed: 2, won: 1, 0.5m, 0.094531m, 0.905469m);
        AssertStage(report, 3, "d", 0.8m, entered: 1, closed: 0, won: 0, null, null, null);
    }

    [Fact]
    public async Task a_window_counts_the_deals_that_entered_each_stage_within_it()
    {
        // First entries in [day 0, day 1.5): a by X1 and X2 (one won, one lost), b by X3 (lost).
        var report = await app.GetJsonAsync($"/api/funnel/rp/calibration?from={Iso(0)}&to={Iso(1.5)}");

        AssertStage(report, 0, "a", 0.1m, entered: 2, closed: 2, won: 1, 0.5m, 0.094531m, 0.905469m);
        AssertStage(report, 1, "b", 0.6m, entered: 1, closed: 1, won: 0, 0m, 0m, 0.793451m);
        AssertStage(report, 2, "c", 0.5m, entered: 0, closed: 0, won: 0, null, null, null);
    }

    [Fact]
    public async Task observed_probabilities_weigh_with_the_rates_known_by_then()
    {
        // Day 9.5: X1 won on day 9; X2 (200) and X3 (350) open in b, X4 (400) open in d. Closed by then: X1 alone, won, so
        // a, b and c show 1 of 1; d has no closed deal and keeps its 80 %. (With hindsight b would be 1 of 3.)
        var observed = await app.GetJsonAsync($"/api/funnel/rp/snapshot?asOf={Iso(9.5)}&probabilities=observed");
        AssertWeighted(observed, "b", 550m);
        AssertWeighted(observed, "d", 320m);

        var defined = await app.GetJsonAsync($"/api/funnel/rp/snapshot?asOf={Iso(9.5)}");
        AssertWeighted(defined, "b", 165m);

        var byOwner = await app.GetJsonAsync($"/api/funnel/rp/forecast?asOf={Iso(9.5)}&groupBy=owner&probabilities=observed");
        Assert.Equal(
            [("ann", 350m), ("bob", 200m), ("dee", 320m)],
            byOwner.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("key").GetString(), g.GetProperty("weightedAmount").GetDecimal())));
        Assert.Equal(870m, byOwner.GetProperty("weightedAmount").GetDecimal());
    }

    [Fact]
    public async Task an_unknown_weighting_is_refused_naming_the_choices()
    {
        var response = await app.Http.GetAsync("/api/funnel/rp/snapshot?probabilities=hopeful");

        await response.AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "probabilities", "one-of");
    }

    private static void AssertStage(JsonElement report, int index, string stage, decimal probability, long entered, long closed, long won, decimal? rate, decimal? low, decimal? high)
    {
        var s = report.GetProperty("stages")[index];
        decimal? Nullable(string name) => s.GetProperty(name).ValueKind == JsonValueKind.Null ? null : s.GetProperty(name).GetDecimal();
        Assert.Equal(
            (stage, probability, entered, closed, won, rate, low, high),
            (s.GetProperty("stage").GetString(), s.GetProperty("probability").GetDecimal(), s.GetProperty("entered").GetInt64(), s.GetProperty("closed").GetInt64(),
                s.GetProperty("won").GetInt64(), Nullable("observedWinRate"), Nullable("low"), Nullable("high")));
    }

    private static void AssertWeighted(JsonElement report, string stage, decimal weighted) =>
        Assert.Equal(weighted, report.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == stage).GetProperty("weightedAmount").GetDecimal());
}
