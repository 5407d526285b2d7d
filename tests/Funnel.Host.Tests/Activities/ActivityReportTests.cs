using System.Globalization;
using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Activities;

/// <summary>
/// Two weeks of pipeline "act" from Monday 3 Feb 2025 (UTC), by hand. Deals: X1 ann/east validate 1,000 (Mon 09:00), X2
/// ann/east develop 2,000 (Mon 10:00), X4 bob/west propose 3,000 (Mon 11:00), X3 bob/west validate 500 (Tue 09:00), X5
/// ann/east validate 700 (Fri 09:00). Moves: X1 → develop Wed 12:00; X3 lost Wed 16:00; X2 won Thu 15:00 at 2,000; X4
/// handed from bob to ann Fri 10:00 ("territory"); X1 → propose Tue 11 Feb 09:00.
/// Activities: (1) ann call X1 Mon 09:30 10 min; (2) ann email X1 Tue 11:00; (3) ann meeting X2 Tue 14:00 60 min; (4) ann
/// demo X1 Thu 10:00 45 min; (5) ann call, no deal, Thu 16:00 5 min; (6) bob call X3 Tue 10:00 15 min; (7) bob visit X4
/// Mon 15:00 90 min; (8) ann call X4 Mon 10 Feb 09:00 20 min; (9) bob task, no deal, team west, Thu 11:00 30 min.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class ActivityReportTests(FunnelApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2025, 2, 3, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<FunnelApp, Task> Built = [];

    public Task InitializeAsync()
    {
        lock (Built)
        {
            return Built.TryGetValue(app, out var built) ? built : Built[app] = BuildAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset At(int day, int hour, int minute = 0) => Monday.AddDays(day).AddHours(hour).AddMinutes(minute);

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private async Task BuildAsync()
    {
        // The shared report scenario's event sequences are pinned by snapshots: whichever class comes first, it is written first.
        await Reports.ReportScenario.EnsureAsync(app);
        (await app.PutClassicPipelineAsync("act")).EnsureSuccessStatusCode();
        await PostAsync("/api/deals", new { dealId = "act-X1", pipelineId = "act", name = "X1", owner = "ann", team = "east", amount = 1000m, stage = "validate", occurredAt = At(0, 9) });
        await PostAsync("/api/deals", new { dealId = "act-X2", pipelineId = "act", name = "X2", owner = "ann", team = "east", amount = 2000m, stage = "develop", occurredAt = At(0, 10) });
        await PostAsync("/api/deals", new { dealId = "act-X4", pipelineId = "act", name = "X4", owner = "bob", team = "west", amount = 3000m, stage = "propose", occurredAt = At(0, 11) });
        await PostAsync("/api/deals", new { dealId = "act-X3", pipelineId = "act", name = "X3", owner = "bob", team = "west", amount = 500m, stage = "validate", occurredAt = At(1, 9) });
        await PostAsync("/api/deals", new { dealId = "act-X5", pipelineId = "act", name = "X5", owner = "ann", team = "east", amount = 700m, stage = "validate", occurredAt = At(4, 9) });
        await PostAsync("/api/deals/act-X1/stage", new { stage = "develop", occurredAt = At(2, 12) });
        await PostAsync("/api/deals/act-X3/lose", new { reason = "price", occurredAt = At(2, 16) });
        await PostAsync("/api/deals/act-X2/win", new { amount = 2000m, occurredAt = At(3, 15) });
        await PostAsync("/api/reps/bob/handover", new { to = "ann", reason = "territory", dealIds = new[] { "act-X4" }, occurredAt = At(4, 10) });
        await PostAsync("/api/deals/act-X1/stage", new { stage = "propose", occurredAt = At(8, 9) });

        await LogAsync("ann", "call", "act-X1", At(0, 9, 30), 10);
        await LogAsync("ann", "email", "act-X1", At(1, 11), null);
        await LogAsync("ann", "meeting", "act-X2", At(1, 14), 60);
        await LogAsync("ann", "demo", "act-X1", At(3, 10), 45);
        await LogAsync("ann", "call", null, At(3, 16), 5);
        await LogAsync("bob", "call", "act-X3", At(1, 10), 15);
        await LogAsync("bob", "visit", "act-X4", At(0, 15), 90);
        await LogAsync("ann", "call", "act-X4", At(7, 9), 20);
        await LogAsync("bob", "task", null, At(3, 11), 30, team: "west");
        await app.CatchUpAsync();
    }

    private async Task PostAsync(string url, object body) => (await app.Http.PostJsonAsync(url, body)).EnsureSuccessStatusCode();

    private Task LogAsync(string rep, string kind, string? dealId, DateTimeOffset at, int? minutes, string? team = null) =>
        PostAsync("/api/activities", new { rep, kind, dealId, team, occurredAt = at, durationMinutes = minutes });

    [Fact]
    public async Task activity_counts_by_rep_and_by_kind_over_the_first_week()
    {
        var window = $"from={Iso(Monday)}&to={Iso(Monday.AddDays(7))}";

        // ann: (1)–(5), 10 + 60 + 45 + 5 = 120 minutes, on X1 and X2. bob: (6), (7), (9), 15 + 90 + 30 = 135 minutes, on X3 and X4.
        var byRep = await app.GetJsonAsync($"/api/funnel/act/activity?{window}&groupBy=rep&owner=ann&owner=bob");
        Assert.Equal((8L, 255L), (byRep.GetProperty("activities").GetInt64(), byRep.GetProperty("minutes").GetInt64()));
        Assert.Equal([("ann", 5L, 120L, 2L), ("bob", 3L, 135L, 2L)], Groups(byRep, "rep"));

        var byKind = await app.GetJsonAsync($"/api/funnel/act/activity?{window}&groupBy=kind&owner=ann&owner=bob");
        Assert.Equal(
            [("call", 3L, 30L, 2L), ("demo", 1L, 45L, 1L), ("email", 1L, 0L, 1L), ("meeting", 1L, 60L, 1L), ("task", 1L, 30L, 0L), ("visit", 1L, 90L, 1L)],
            Groups(byKind, "kind"));

        // West's: bob's on X3 and X4 (the deals' team) and his task (team given).
        var west = await app.GetJsonAsync($"/api/funnel/act/activity?{window}&groupBy=team&team=west");
        Assert.Equal([("west", 3L, 135L, 2L)], Groups(west, "team"));
    }

    [Fact]
    public async Task activity_counts_by_rep_and_day_make_the_heat_map()
    {
        var grid = await app.GetJsonAsync($"/api/funnel/act/activity?from={Iso(Monday)}&to={Iso(Monday.AddDays(14))}&groupBy=rep,day&owner=ann");

        Assert.Equal(
            [("ann", "2025-02-03", 1L), ("ann", "2025-02-04", 2L), ("ann", "2025-02-06", 2L), ("ann", "2025-02-10", 1L)],
            grid.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("rep").GetString(), g.GetProperty("day").GetString(), g.GetProperty("activities").GetInt64())));
    }

    [Fact]
    public async Task days_without_a_record_are_the_weekdays_a_rep_held_open_deals_and_logged_nothing()
    {
        // Mon 3 to Tue 11 Feb: seven weekdays. Ann holds open deals throughout and logged on Mon, Tue, Thu, Mon 10: missing
        // Wed 5, Fri 7, Tue 11. Bob held X4 until Fri 10:00 and X3 until Wed: Mon to Fri, logged Mon, Tue, Thu: missing Wed, Fri.
        var report = await app.GetJsonAsync("/api/funnel/act/days-without-record?firstDay=2025-02-03&lastDay=2025-02-11");

        Assert.Equal(
            [("ann", 7, 4, "2025-02-05,2025-02-07,2025-02-11"), ("bob", 5, 3, "2025-02-05,2025-02-07")],
            report.GetProperty("reps").EnumerateArray().Select(r => (r.GetProperty("rep").GetString(), r.GetProperty("days").GetInt32(), r.GetProperty("recorded").GetInt32(),
                string.Join(",", r.GetProperty("missing").EnumerateArray().Select(d => d.GetString())))));

        // Weekends counted: ann's Sat 8 and Sun 9 are missing too.
        var withWeekends = await app.GetJsonAsync("/api/funnel/act/days-without-record?firstDay=2025-02-03&lastDay=2025-02-11&weekends=true&owner=ann");
        var ann = Assert.Single(withWeekends.GetProperty("reps").EnumerateArray());
        Assert.Equal((9, 4), (ann.GetProperty("days").GetInt32(), ann.GetProperty("recorded").GetInt32()));
    }

    [Fact]
    public async Task a_day_on_which_a_rep_held_no_open_deal_owes_no_record()
    {
        // Pipeline act-gap, Mon 3 to Fri 7 Feb 2025: dee holds G1 Mon 09:00–12:00 (lost), nothing Tue to Thu, G2 from Fri 09:00.
        // No activities: her days are Mon and Fri, both missing.
        (await app.PutClassicPipelineAsync("act-gap")).EnsureSuccessStatusCode();
        await PostAsync("/api/deals", new { dealId = "gap-G1", pipelineId = "act-gap", name = "G1", owner = "dee", amount = 100m, occurredAt = At(0, 9) });
        await PostAsync("/api/deals/gap-G1/lose", new { reason = "timing", occurredAt = At(0, 12) });
        await PostAsync("/api/deals", new { dealId = "gap-G2", pipelineId = "act-gap", name = "G2", owner = "dee", amount = 100m, occurredAt = At(4, 9) });
        await app.CatchUpAsync();

        var report = await app.GetJsonAsync("/api/funnel/act-gap/days-without-record?firstDay=2025-02-03&lastDay=2025-02-07");

        var dee = Assert.Single(report.GetProperty("reps").EnumerateArray());
        Assert.Equal(("dee", 2, 0), (dee.GetProperty("rep").GetString(), dee.GetProperty("days").GetInt32(), dee.GetProperty("recorded").GetInt32()));
        Assert.Equal(["2025-02-03", "2025-02-07"], dee.GetProperty("missing").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task untouched_deals_are_the_open_ones_without_an_activity_for_the_span_most_neglected_first()
    {
        // Sun 9 Feb 12:00, untouched 2 days (since Fri 12:00): X4 last worked Mon 15:00 (5.875 days), X1 Thu 10:00 (3.083333),
        // X5 never, captured Fri 09:00 (2.125).
        var sunday = await app.GetJsonAsync($"/api/funnel/act/untouched?asOf={Iso(At(6, 12))}&untouched=2d");
        Assert.Equal(3, sunday.GetProperty("total").GetInt64());
        Assert.Equal(
            [("act-X4", "ann", "2025-02-03T15:00:00+00:00", 5.875m), ("act-X1", "ann", "2025-02-06T10:00:00+00:00", 3.083333m), ("act-X5", "ann", null, 2.125m)],
            sunday.GetProperty("deals").EnumerateArray().Select(d => (d.GetProperty("dealId").GetString(), d.GetProperty("owner").GetString(),
                d.GetProperty("lastActivityAt").ValueKind == JsonValueKind.Null ? null : d.GetProperty("lastActivityAt").GetDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                d.GetProperty("daysUntouched").GetDecimal())));

        // Tue 11 Feb 12:00, 3 days: ann called on X4 on Monday; X1 (5.083333 days) and X5 (4.125) remain.
        var tuesday = await app.GetJsonAsync($"/api/funnel/act/untouched?asOf={Iso(At(8, 12))}&untouched=3d");
        Assert.Equal([("act-X1", 5.083333m), ("act-X5", 4.125m)],
            tuesday.GetProperty("deals").EnumerateArray().Select(d => (d.GetProperty("dealId").GetString(), d.GetProperty("daysUntouched").GetDecimal())));
    }

    [Fact]
    public async Task effort_per_stage_stands_beside_its_conversion()
    {
        // At Tue 11 Feb 12:00. Validate: X1 (advanced), X3, X5 entered; X1 worked twice, X3 once: 3 activities, 2 worked
        // (1 advanced), X5 not worked (0). Develop: X2 (won) and X1 (advanced Tue 11), a meeting and a demo. Propose: X4 and X1,
        // none advanced; X4 visited and called (its owner changed, its stay did not).
        var report = await app.GetJsonAsync($"/api/funnel/act/effort?asOf={Iso(At(8, 12))}");

        var stages = report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!);
        Assert.Equal((3L, 1L, 0.333333m, 3L, 1m, 2L, 0.5m, 1L, 0m), Effort(stages["validate"]));
        Assert.Equal("call=2,email=1", Kinds(stages["validate"]));
        Assert.Equal((2L, 2L, 1m, 2L, 1m, 2L, 1m, 0L, 0m), Effort(stages["develop"]));
        Assert.Equal("demo=1,meeting=1", Kinds(stages["develop"]));
        Assert.Equal((2L, 0L, 0m, 2L, 1m, 1L, 0m, 1L, 0m), Effort(stages["propose"]));
        Assert.Equal("call=1,visit=1", Kinds(stages["propose"]));
        Assert.Equal((0L, 0L, 0m, 0L, 0m, 0L, 0m, 0L, 0m), Effort(stages["close"]));
    }

    [Fact]
    public async Task a_reps_diary_shows_their_day()
    {
        // Thursday 6: ann's demo on X1 and her own call (50 minutes), and X2 won at 2,000.
        var thursday = await app.GetJsonAsync("/api/reps/ann/diary?date=2025-02-06");
        Assert.True(thursday.GetProperty("recorded").GetBoolean());
        Assert.Equal([("demo", "act-X1", 45), ("call", null, 5)], thursday.GetProperty("activities").EnumerateArray().Select(a => (a.GetProperty("kind").GetString(),
            a.GetProperty("dealId").GetString(), a.GetProperty("durationMinutes").GetInt32())));
        Assert.Equal([("act-X2", "won", 2000m)], Moves(thursday).Select(m => (m.DealId, m.What, m.Amount)));
        var totals = thursday.GetProperty("totals");
        Assert.Equal((2, 50, 1, 2000m), (totals.GetProperty("activities").GetInt32(), totals.GetProperty("minutes").GetInt32(), totals.GetProperty("won").GetInt32(), totals.GetProperty("wonAmount").GetDecimal()));
        Assert.Equal(["act-X1", "act-X2"], thursday.GetProperty("dealsTouched").EnumerateArray().Select(d => d.GetString()));

        // Friday 7: nothing logged; X5 captured and X4 handed in from bob (the reason kept). Bob's Friday: X4 handed out.
        var friday = await app.GetJsonAsync("/api/reps/ann/diary?date=2025-02-07");
        Assert.False(friday.GetProperty("recorded").GetBoolean());
        Assert.Equal([("act-X5", "captured", null, null), ("act-X4", "handed-in", "bob", "territory")], Moves(friday).Select(m => (m.DealId, m.What, m.Other, m.Reason)));
        Assert.Equal([("act-X4", "handed-out", "ann", "territory")], Moves(await app.GetJsonAsync("/api/reps/bob/diary?date=2025-02-07")).Select(m => (m.DealId, m.What, m.Other, m.Reason)));

        // A page of one: Friday's second move, and the whole day's totals.
        var second = await app.GetJsonAsync("/api/reps/ann/diary?date=2025-02-07&pageSize=1&page=2");
        Assert.Equal([("act-X4", "handed-in", "bob", "territory")], Moves(second).Select(m => (m.DealId, m.What, m.Other, m.Reason)));
        Assert.Equal(["act-X4"], second.GetProperty("dealsTouched").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal((2, 1, 2), (second.GetProperty("totals").GetProperty("moves").GetInt32(), second.GetProperty("totals").GetProperty("handedIn").GetInt32(), second.GetProperty("page").GetInt32()));

        // Wednesday 5: ann moved X1 validate → develop; bob lost X3 from validate, for price.
        Assert.Equal([("act-X1", "stage", "validate", "develop")], Moves(await app.GetJsonAsync("/api/reps/ann/diary?date=2025-02-05")).Select(m => (m.DealId, m.What, m.From, m.To)));
        Assert.Equal([("act-X3", "lost", "validate", "price")], Moves(await app.GetJsonAsync("/api/reps/bob/diary?date=2025-02-05")).Select(m => (m.DealId, m.What, m.From, m.Reason)));
    }

    [Fact]
    public async Task malformed_activity_parameters_name_the_parameter()
    {
        await (await app.Http.GetAsync("/api/funnel/act/activity?groupBy=rep,weather")).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "groupBy", "one-of");
        await (await app.Http.GetAsync("/api/funnel/act/activity?groupBy=rep,kind,day")).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "groupBy", "one-of");
        await (await app.Http.GetAsync("/api/funnel/act/days-without-record?firstDay=2025-02-11&lastDay=2025-02-03")).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "firstDay", "range-order");
        await (await app.Http.GetAsync("/api/funnel/act/untouched?untouched=soon")).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "untouched", "duration");
        await (await app.Http.GetAsync("/api/reps/ann/diary?date=6 Feb")).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "date", "date");
        await (await app.Http.GetAsync("/api/reps/ann/diary?pageSize=1001")).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "pageSize", "range");
    }

    private static IEnumerable<(string?, long, long, long)> Groups(JsonElement report, string key) =>
        report.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty(key).GetString(), g.GetProperty("activities").GetInt64(), g.GetProperty("minutes").GetInt64(), g.GetProperty("deals").GetInt64()));

    private static (long, long, decimal, long, decimal, long, decimal, long, decimal) Effort(JsonElement s) => (
        s.GetProperty("entered").GetInt64(), s.GetProperty("advanced").GetInt64(), s.GetProperty("conversionRate").GetDecimal(), s.GetProperty("activities").GetInt64(),
        s.GetProperty("activitiesPerDeal").GetDecimal(), s.GetProperty("worked").GetInt64(), s.GetProperty("workedConversionRate").GetDecimal(),
        s.GetProperty("notWorked").GetInt64(), s.GetProperty("notWorkedConversionRate").GetDecimal());

    private static string Kinds(JsonElement s) => string.Join(",", s.GetProperty("byKind").EnumerateObject().Select(k => $"{k.Name}={k.Value.GetInt64()}"));

    private sealed record Move(string? DealId, string? What, decimal Amount, string? From, string? To, string? Other, string? Reason);

    private static IEnumerable<Move> Moves(JsonElement diary) => diary.GetProperty("moves").EnumerateArray().Select(m => new Move(
        m.GetProperty("dealId").GetString(), m.GetProperty("what").GetString(), m.GetProperty("amount").GetDecimal(), Optional(m, "fromStage"), Optional(m, "toStage"),
        Optional(m, "otherRep"), Optional(m, "reason")));

    private static string? Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
}
