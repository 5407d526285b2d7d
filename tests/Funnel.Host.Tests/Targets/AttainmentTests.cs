using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Targets;

/// <summary>
/// March 2026 (UTC) of pipeline "att" (validate 10 %, develop 30 %, propose 50 %, close 80 %), by hand:
/// A1 ann/east captured 20 Feb, won 5 Mar at 1,200. A2 ann/east captured 2 Mar in propose, 500, closing 25 Mar.
/// A3 bob/east captured 10 Mar in validate, 2,000, closing 28 Mar, won 20 Mar at 2,000. A4 cid/west captured 12 Mar in
/// close, 800, closing 10 Apr (outside March). A5 cid/west captured 15 Mar in develop, 400, closing 30 Mar.
/// Targets defined 1 Mar (org 10,000 / 5 wins / 6 new; east 6,000 with ann 3,000 and bob 4,000; west 3,000 with cid),
/// redefined 16 Mar 12:00 (org 12,000; east 8,000 with bob 5,000; west 4,000 with cid 4,000); activities targets org 100,
/// east 60, ann 30 in both. Activities: ann 27 Feb (A1, before March), ann 2 Mar (A2), ann 5 Mar (no deal), bob 12 Mar (A3),
/// cid 20 Mar (A4).
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class AttainmentTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The scenario is written once per host (report tests never reset their store); the first definition's answer is kept.</summary>
    private static readonly Dictionary<FunnelApp, Task<JsonElement>> Built = [];

    private JsonElement firstAnswer;

    public async Task InitializeAsync()
    {
        Task<JsonElement> built;
        lock (Built)
        {
            built = Built.TryGetValue(app, out var existing) ? existing : Built[app] = BuildAsync();
        }

        firstAnswer = await built;
    }

    private async Task<JsonElement> BuildAsync()
    {
        await app.PutPipelineAsync("att", ("validate", 0.1m), ("develop", 0.3m), ("propose", 0.5m), ("close", 0.8m));
        var first = await PutTargetsAsync(March, 10000, 6000, 3000, 4000, 3000, 3000);
        await PutTargetsAsync(March.AddDays(15.5), 12000, 8000, 3000, 5000, 4000, 4000);

        await CaptureAsync("att-A1", "ann", "east", 1000, "validate", "2026-03-31", March.AddDays(-9).AddHours(9));
        await CaptureAsync("att-A2", "ann", "east", 500, "propose", "2026-03-25", March.AddDays(1).AddHours(9));
        await CaptureAsync("att-A3", "bob", "east", 2000, "validate", "2026-03-28", March.AddDays(9).AddHours(9));
        await CaptureAsync("att-A4", "cid", "west", 800, "close", "2026-04-10", March.AddDays(11).AddHours(9));
        await CaptureAsync("att-A5", "cid", "west", 400, "develop", "2026-03-30", March.AddDays(14).AddHours(9));
        await WinAsync("att-A1", 1200, March.AddDays(4).AddHours(9));
        await WinAsync("att-A3", 2000, March.AddDays(19).AddHours(9));
        await LogAsync("ann", "call", "att-A1", March.AddDays(-2).AddHours(10));
        await LogAsync("ann", "call", "att-A2", March.AddDays(1).AddHours(10));
        await LogAsync("ann", "email", null, March.AddDays(4).AddHours(10));
        await LogAsync("bob", "meeting", "att-A3", March.AddDays(11).AddHours(10));
        await LogAsync("cid", "call", "att-A4", March.AddDays(19).AddHours(10));
        await app.CatchUpAsync();
        return first;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_definition_whose_children_exceed_their_parent_is_kept_with_a_warning()
    {
        Assert.Equal(1, firstAnswer.GetProperty("version").GetInt64());
        var warning = Assert.Single(firstAnswer.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("team east", warning, StringComparison.Ordinal);
        Assert.Contains("7000", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task at_a_past_instant_each_level_is_measured_against_the_targets_of_then()
    {
        // 16 Mar 00:00: 15 of 31 days gone (0.483871); the redefinition (16 Mar 12:00) not yet in force. Won: A1 (ann, 1,200).
        // New: A2, A3, A4, A5. Open and closing in March: A2 500 × 50 % = 250 (ann), A3 2,000 × 10 % = 200 (bob), A5 400 × 30 % = 120 (cid).
        var report = await app.GetJsonAsync("/api/funnel/att/attainment?period=2026-03&asOf=2026-03-16T00:00:00Z");

        Assert.Equal(0.483871m, report.GetProperty("elapsed").GetDecimal());
        var org = Line(report, "organisation");
        // Pace 1,200 / (10,000 × 0.483871) = 0.248; coverage 570 / 8,800 = 0.064773; new deals 4 / (6 × 0.483871) = 1.377778.
        AssertMeasure(org.GetProperty("wonAmount"), 10000m, 1200m, 8800m, 0.248m);
        AssertMeasure(org.GetProperty("wonCount"), 5m, 1m, 4m, 0.413333m);
        AssertMeasure(org.GetProperty("newDeals"), 6m, 4m, 2m, 1.377778m);
        Assert.Equal((570m, 0.064773m), (org.GetProperty("weightedOpen").GetDecimal(), org.GetProperty("coverage").GetDecimal()));

        var east = Line(report, "east");
        AssertMeasure(east.GetProperty("wonAmount"), 6000m, 1200m, 4800m, 0.413333m);
        Assert.Equal((450m, 0.09375m), (east.GetProperty("weightedOpen").GetDecimal(), east.GetProperty("coverage").GetDecimal()));
        var ann = Line(report, "ann");
        AssertMeasure(ann.GetProperty("wonAmount"), 3000m, 1200m, 1800m, 0.826667m);
        Assert.Equal((250m, 0.138889m), (ann.GetProperty("weightedOpen").GetDecimal(), ann.GetProperty("coverage").GetDecimal()));
        Assert.Equal(2m, Line(report, "west").GetProperty("newDeals").GetProperty("achieved").GetDecimal());
        Assert.Equal(120m, Line(report, "cid").GetProperty("weightedOpen").GetDecimal());

        // Activities by 16 Mar: ann 2 (her February call is outside), bob 1, cid none yet. Pace 3 / (100 × 15/31) = 0.062,
        // east 3 / (60 × 15/31) = 0.103333, ann 2 / (30 × 15/31) = 0.137778.
        AssertMeasure(org.GetProperty("activities"), 100m, 3m, 97m, 0.062m);
        AssertMeasure(east.GetProperty("activities"), 60m, 3m, 57m, 0.103333m);
        AssertMeasure(ann.GetProperty("activities"), 30m, 2m, 28m, 0.137778m);
        Assert.Equal(0m, Line(report, "cid").GetProperty("activities").GetProperty("achieved").GetDecimal());
    }

    [Fact]
    public async Task explain_lists_the_deals_behind_each_line()
    {
        // 16 Mar: won A1; captured in March A2–A5 (A1 in February); open closing in March A2, A3, A5 (A4 closes in April).
        var report = await app.GetJsonAsync("/api/funnel/att/attainment?period=2026-03&asOf=2026-03-16T00:00:00Z&explain=true");

        Assert.Equal(("att-A1", "att-A2,att-A3,att-A4,att-A5", "att-A2,att-A3,att-A5"), Deals(Line(report, "organisation")));
        Assert.Equal(("att-A1", "att-A2", "att-A2"), Deals(Line(report, "ann")));
        Assert.Equal(("", "att-A4,att-A5", "att-A5"), Deals(Line(report, "west")));
        Assert.False(Line(await app.GetJsonAsync("/api/funnel/att/attainment?period=2026-03&asOf=2026-03-16T00:00:00Z"), "ann").TryGetProperty("deals", out _));

        static (string, string, string) Deals(JsonElement line)
        {
            string Ids(string name) => string.Join(",", line.GetProperty("deals").GetProperty(name).EnumerateArray().Select(d => d.GetString()));
            return (Ids("won"), Ids("captured"), Ids("open"));
        }
    }

    [Fact]
    public async Task at_the_end_the_redefined_targets_apply()
    {
        // 1 Apr 00:00: the whole of March; targets of 16 Mar. Won 1,200 + 2,000; open closing in March: A2 250 + A5 120.
        var report = await app.GetJsonAsync("/api/funnel/att/attainment?period=2026-03&asOf=2026-04-01T00:00:00Z");

        var org = Line(report, "organisation");
        AssertMeasure(org.GetProperty("wonAmount"), 12000m, 3200m, 8800m, 0.266667m);
        Assert.Equal((370m, 0.042045m), (org.GetProperty("weightedOpen").GetDecimal(), org.GetProperty("coverage").GetDecimal()));
        AssertMeasure(Line(report, "bob").GetProperty("wonAmount"), 5000m, 2000m, 3000m, 0.4m);

        // Every activity of March: 4; cid's (no activities target) counts for him and for the organisation.
        Assert.Equal(4m, org.GetProperty("activities").GetProperty("achieved").GetDecimal());
        var cid = Line(report, "cid").GetProperty("activities");
        Assert.Equal((JsonValueKind.Null, 1m), (cid.GetProperty("target").ValueKind, cid.GetProperty("achieved").GetDecimal()));
    }

    [Fact]
    public async Task a_team_or_a_rep_narrows_the_answer_to_its_lines()
    {
        var west = await app.GetJsonAsync("/api/funnel/att/attainment?period=2026-03&asOf=2026-04-01T00:00:00Z&team=west");
        Assert.Equal(["west", "cid"], west.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("name").GetString()));

        var bob = await app.GetJsonAsync("/api/funnel/att/attainment?period=2026-03&asOf=2026-04-01T00:00:00Z&owner=bob");
        Assert.Equal(["bob"], bob.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("2026-13", "period", "period-format")]
    [InlineData("2026-Q5", "period", "period-format")]
    public async Task a_malformed_period_is_refused(string period, string field, string rule)
    {
        await (await app.Http.GetAsync($"/api/funnel/att/attainment?period={period}")).AssertProblemAsync(HttpStatusCode.BadRequest, field, rule);
    }

    [Fact]
    public async Task a_broken_tree_is_refused_and_nothing_is_stored()
    {
        var events = await app.CountEventsAsync();

        await (await app.Http.PutAsync("/api/targets/att/2026-03", HttpAssertions.JsonText("""{"organisation":{"wonAmount":-1}}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "organisation.wonAmount", "max-amount");
        await (await app.Http.PutAsync("/api/targets/att/2026-03", HttpAssertions.JsonText("""{"organisation":{},"teams":[{"team":"a","reps":[{"rep":"x"}]},{"team":"b","reps":[{"rep":"x"}]}]}""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "teams", "duplicate");
        await (await app.Http.PutAsync("/api/targets/nope/2026-03", HttpAssertions.JsonText("""{"organisation":{}}"""))).AssertProblemAsync(HttpStatusCode.NotFound, "pipelineId", "unknown-pipeline");
        await (await app.Http.PutAsync("/api/targets/att/March", HttpAssertions.JsonText("""{"organisation":{}}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "period", "period-format");

        Assert.Equal(events, await app.CountEventsAsync());
    }

    private static JsonElement Line(JsonElement report, string name) => report.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("name").GetString() == name);

    private static void AssertMeasure(JsonElement measure, decimal target, decimal achieved, decimal gap, decimal pace) =>
        Assert.Equal((target, achieved, gap, pace),
            (measure.GetProperty("target").GetDecimal(), measure.GetProperty("achieved").GetDecimal(), measure.GetProperty("gap").GetDecimal(), measure.GetProperty("pace").GetDecimal()));

    private async Task<JsonElement> PutTargetsAsync(DateTimeOffset at, decimal org, decimal east, decimal ann, decimal bob, decimal west, decimal cid)
    {
        var body = new
        {
            organisation = new { wonAmount = org, wonCount = 5, newDeals = 6, activities = 100 },
            teams = new object[]
            {
                new
                {
                    team = "east", targets = new { wonAmount = east, wonCount = 3, newDeals = 4, activities = (int?)60 },
                    reps = new[] { new { rep = "ann", targets = new { wonAmount = ann, activities = (int?)30 } }, new { rep = "bob", targets = new { wonAmount = bob, activities = (int?)null } } },
                },
                new { team = "west", targets = new { wonAmount = west, wonCount = 2, newDeals = 2, activities = (int?)null }, reps = new[] { new { rep = "cid", targets = new { wonAmount = cid, activities = (int?)null } } } },
            },
            occurredAt = at,
        };
        return await (await app.Http.PutAsJsonAsync("/api/targets/att/2026-03", body)).ReadJsonAsync(HttpStatusCode.OK);
    }

    private async Task CaptureAsync(string dealId, string owner, string team, decimal amount, string stage, string expectedCloseDate, DateTimeOffset at) =>
        (await app.Http.PostJsonAsync("/api/deals", new { dealId, pipelineId = "att", name = dealId, owner, team, amount, stage, expectedCloseDate, occurredAt = at })).EnsureSuccessStatusCode();

    private async Task LogAsync(string rep, string kind, string? dealId, DateTimeOffset at) =>
        (await app.Http.PostJsonAsync("/api/activities", new { rep, kind, dealId, occurredAt = at })).EnsureSuccessStatusCode();

    private async Task WinAsync(string dealId, decimal amount, DateTimeOffset at) =>
        (await app.Http.PostJsonAsync($"/api/deals/{dealId}/win", new { amount, occurredAt = at })).EnsureSuccessStatusCode();

}
