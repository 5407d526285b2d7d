using System.Globalization;
using System.Net;
using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>Effort from its counts against the activity and stage-fact rows, on the demo and on a hand-made funnel.</summary>
public sealed partial class DatedCounterTests
{
    private static readonly DateTimeOffset E0 = new(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] EffortStages = ["a", "b", "c", "d"];
    private static bool effortBuilt;

    [Theory]
    [InlineData(null, null, "")]
    [InlineData("2026-06-01", "2026-07-01", "")]
    [InlineData("2025-10-15", "2026-08-20", "owner=Ada Park")]
    [InlineData(null, "2026-03-10", "team=SMB;region=Central")]
    [InlineData("2026-03-29", "2026-03-30", "product=Enterprise")]
    public async Task counted_effort_on_the_demo_equals_the_scanned_one(string? from, string? to, string filters)
    {
        var query = EffortOf(DemoHistory.PipelineId, from, to, filters);
        Assert.True(query.Countable);
        var (counted, scanned) = await BothEffortsAsync(query, ["validate", "develop", "propose", "close"]);

        Assert.Equal(Text(scanned), Text(counted));
        Assert.True(from is not null || counted.Stages.Sum(s => s.Activities) > 100, "too few activities compared");
    }

    [Theory]
    [InlineData(null, null, "", "a 2 2 3 2 1 call=1,email=1,visit=1|b 2 2 1 1 1 call=1|c 1 0 2 1 0 call=1,meeting=1|d 0 0 0 0 0 ")]
    [InlineData(null, null, "owner=dee", "a 0 0 0 0 0 |b 1 1 0 0 0 |c 0 0 0 0 0 |d 0 0 0 0 0 ")]
    [InlineData("2026-02-03", "2026-02-04", "", "a 0 0 0 0 0 |b 1 1 0 0 0 |c 0 0 0 0 0 |d 0 0 0 0 0 ")]
    [InlineData("2026-02-04", "2026-02-05", "owner=ann", "a 0 0 0 0 0 |b 1 1 1 1 1 call=1|c 1 0 2 1 0 call=1,meeting=1|d 0 0 0 0 0 ")]
    public async Task counted_effort_follows_activities_dated_back_and_deal_events_dated_before_them(string? from, string? to, string filters, string expected)
    {
        // Days after Mon 2 Feb (UTC, hours in brackets). E1 (ann): a@0(9); call@1(9); b@2(9); then an email dated back to
        // 1(15) (in a); a call@3(9) (in b, until c is dated 2(15) after it: in c); a meeting@4(9) (c); lost@5(9); a call@6(9)
        // (no stage, until E1 is reopened into b at 5(15): in b). E2 (bob): b@1(9), handed to dee@3(9), won@4(9), never worked.
        // E3 (ann): a@0(9), a visit@0(15), won@2(9), a call@3(9) after the win (no stage). Stage: entered, advanced,
        // activities, worked, the worked ones' conversion, activities by kind.
        await EnsureEffortScenarioAsync();
        var query = EffortOf("ef", from, to, filters);
        var (counted, scanned) = await BothEffortsAsync(query, EffortStages);

        Assert.Equal(expected, string.Join('|', counted.Stages.Select(s =>
            $"{s.Stage} {s.Entered} {s.Advanced} {s.Activities} {s.Worked} {s.WorkedConversionRate:0.##} " +
            string.Join(',', s.ByKind.Select(k => $"{k.Key}={k.Value}")))));
        Assert.Equal(Text(scanned), Text(counted));
    }

    [Theory]
    [InlineData("")]
    [InlineData("owner=Ada Park")]
    [InlineData("team=SMB;region=Central;product=Team")]
    public async Task dated_effort_at_a_midnight_on_the_demo_equals_the_scanned_one(string filters)
    {
        var midnights = Enumerable.Range(0, 13).Select(i => new DateOnly(2025, 10, 20).AddDays(i * 29)).Append(new DateOnly(2026, 3, 29))
            .Select(day => BusinessTime.MidnightIn(day, BerlinApp.Berlin)).ToList();
        Assert.All(midnights, at => Assert.True(CountedDays.IsMidnight(at, BerlinApp.Berlin)));
        await AssertDatedEffortOnTheDemoEqualsScannedAsync(filters, midnights);
    }

    [Theory]
    [InlineData(3, "", "a 2 2 3 2 1 call=1,email=1,visit=1|b 2 1 0 0 0 |c 1 0 0 0 0 |d 0 0 0 0 0 ")]
    [InlineData(3, "owner=dee", "a 0 0 0 0 0 |b 1 0 0 0 0 |c 0 0 0 0 0 |d 0 0 0 0 0 ")]
    [InlineData(6, "", "a 2 2 3 2 1 call=1,email=1,visit=1|b 2 2 0 0 0 |c 1 0 2 1 0 call=1,meeting=1|d 0 0 0 0 0 ")]
    [InlineData(8, "", "a 2 2 3 2 1 call=1,email=1,visit=1|b 2 2 1 1 1 call=1|c 1 0 2 1 0 call=1,meeting=1|d 0 0 0 0 0 ")]
    public async Task dated_effort_at_a_midnight_counts_what_had_happened_by_then(int day, string filters, string expected)
    {
        // The scenario above at Berlin's midnight beginning day `day` after Mon 2 Feb: at day 3, E1 has entered a, b and c
        // (b advanced at 2(15)) and carries the call and the email dated back in a; E2 is bob's, not yet won; E3 won from a
        // with its visit. At day 6 E1's call@3 and meeting@4 stand in c and E2 has won from b; at day 8 E1's call@6 stands in b.
        await EnsureEffortScenarioAsync();
        var query = new EffortQuery("ef", Filter(filters), null, null, BusinessTime.MidnightIn(DateOnly.FromDateTime(E0.AddDays(day).UtcDateTime), BerlinApp.Berlin))
        {
            Zone = BerlinApp.Berlin,
        };
        var (counted, scanned) = await BothEffortsAtAsync(query, EffortStages);

        Assert.Equal(expected, string.Join('|', counted.Stages.Select(s =>
            $"{s.Stage} {s.Entered} {s.Advanced} {s.Activities} {s.Worked} {s.WorkedConversionRate:0.##} " +
            string.Join(',', s.ByKind.Select(k => $"{k.Key}={k.Value}")))));
        Assert.Equal(Text(scanned), Text(counted));
    }

    [Theory]
    [InlineData("")]
    [InlineData("owner=Ada Park")]
    [InlineData("team=SMB;region=Central;product=Team")]
    public async Task dated_effort_at_an_instant_inside_a_day_on_the_demo_equals_the_scanned_one(string filters)
    {
        // The counts at the nearer Berlin midnight put right by the entries, advances and activities between it and the
        // instant, either side: every 29 days at 00:00:01, 10:20 and 23:59:59, and the last Sunday of March (23 hours) at 14:00.
        var instants = Enumerable.Range(0, 13).SelectMany(i => new[] { 1.0, 10 * 3600 + 20 * 60, 86_399 }
                .Select(seconds => BusinessTime.MidnightIn(new DateOnly(2025, 10, 20).AddDays(i * 29), BerlinApp.Berlin).AddSeconds(seconds)))
            .Append(BusinessTime.MidnightIn(new DateOnly(2026, 3, 29), BerlinApp.Berlin).AddHours(13)).ToList();
        Assert.DoesNotContain(instants, at => CountedDays.IsMidnight(at, BerlinApp.Berlin));
        await AssertDatedEffortOnTheDemoEqualsScannedAsync(filters, instants);
    }

    /// <summary>Effort on the demo at each instant from the dated counts and from the rows, the same, over enough activities.</summary>
    private async Task AssertDatedEffortOnTheDemoEqualsScannedAsync(string filters, IEnumerable<DateTimeOffset> instants)
    {
        long activities = 0;
        foreach (var at in instants)
        {
            var query = new EffortQuery(DemoHistory.PipelineId, Filter(filters), null, null, at) { Zone = BerlinApp.Berlin };
            Assert.True(query.DatedCountable);
            var (counted, scanned) = await BothEffortsAtAsync(query, ["validate", "develop", "propose", "close"]);
            Assert.Equal($"{at:O}\n{Text(scanned)}", $"{at:O}\n{Text(counted)}");
            activities += counted.Stages.Sum(s => s.Activities);
        }

        Assert.True(filters.Length > 0 || activities > 1000, "too few activities compared");
    }

    [Theory]
    [InlineData(3.3)]
    [InlineData(4.4)]
    [InlineData(5.6)]
    [InlineData(6.4)]
    [InlineData(6.7)]
    public async Task dated_effort_at_an_instant_inside_a_day_counts_what_had_happened_by_then(double day)
    {
        // The scenario's days around its events at 9 and 15 UTC, and the activities dated back among them.
        await EnsureEffortScenarioAsync();
        foreach (var filters in new[] { "", "owner=ann", "owner=dee" })
        {
            var query = new EffortQuery("ef", Filter(filters), null, null, E0.AddDays(day)) { Zone = BerlinApp.Berlin };
            var (counted, scanned) = await BothEffortsAtAsync(query, EffortStages);
            Assert.Equal($"{filters}\n{Text(scanned)}", $"{filters}\n{Text(counted)}");
        }
    }

    /// <summary>The effort at an instant from the dated counts, and from the rows (the same instant asked in UTC, where no counts were cut).</summary>
    private async Task<(EffortReport Counted, EffortReport Scanned)> BothEffortsAtAsync(EffortQuery query, string[] stages) =>
        (await EffortReport.RunAsync(Db, query, stages, CancellationToken.None),
         await EffortReport.RunAsync(Db, query with { Zone = TimeZoneInfo.Utc }, stages, CancellationToken.None));

    private static EffortQuery EffortOf(string pipelineId, string? from, string? to, string filters)
    {
        DateTimeOffset? Midnight(string? day) => day is null ? null : BusinessTime.MidnightIn(DateOnly.Parse(day, CultureInfo.InvariantCulture), BerlinApp.Berlin);
        return new EffortQuery(pipelineId, Filter(filters), Midnight(from), Midnight(to), DateTimeOffset.UtcNow) { AsOfNow = true, Zone = BerlinApp.Berlin };
    }

    /// <summary>The effort from the counts, and from the rows (the same query at an instant a moment later, which the counts cannot answer).</summary>
    private async Task<(EffortReport Counted, EffortReport Scanned)> BothEffortsAsync(EffortQuery query, string[] stages)
    {
        var counted = await EffortReport.RunAsync(Db, query, stages, CancellationToken.None);
        var scanned = await EffortReport.RunAsync(Db, query with { AsOfNow = false, AsOf = DateTimeOffset.UtcNow.AddMinutes(10) }, stages, CancellationToken.None);
        return (counted, scanned);
    }

    private static string Text(EffortReport report) => string.Join('\n', report.Stages.Select(s =>
        $"{s.Stage} {s.Entered} {s.Advanced} {s.ConversionRate} {s.Activities} {s.ActivitiesPerDeal} {s.Worked} {s.WorkedConversionRate} {s.NotWorked} {s.NotWorkedConversionRate} " +
        string.Join(',', s.ByKind.Select(k => $"{k.Key}={k.Value}"))));

    private async Task EnsureEffortScenarioAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (effortBuilt)
            {
                return;
            }

            var http = app.Http;
            await Ok(http.PutAsync("/api/pipelines/ef", HttpAssertions.JsonText($$"""
                {"name":"Effort pipeline","occurredAt":"{{At(-1, 0):O}}","stages":[
                  {"id":"a","name":"A","probability":0.1},{"id":"b","name":"B","probability":0.3},
                  {"id":"c","name":"C","probability":0.5},{"id":"d","name":"D","probability":0.8}]}
                """)));
            await Ok(http.PostJsonAsync("/api/deals", new { dealId = "E1", pipelineId = "ef", name = "E1", owner = "ann", amount = 100m, stage = "a", occurredAt = At(0, 9) }));
            await Ok(http.PostJsonAsync("/api/deals", new { dealId = "E2", pipelineId = "ef", name = "E2", owner = "bob", amount = 200m, stage = "b", occurredAt = At(1, 9) }));
            await Ok(http.PostJsonAsync("/api/deals", new { dealId = "E3", pipelineId = "ef", name = "E3", owner = "ann", amount = 300m, stage = "a", occurredAt = At(0, 9) }));
            await Log("E1", "call", 1, 9);
            await Ok(http.PostJsonAsync("/api/deals/E1/stage", new { stage = "b", occurredAt = At(2, 9) }));
            await Log("E1", "email", 1, 15);
            await Log("E1", "call", 3, 9);
            await Ok(http.PostJsonAsync("/api/deals/E1/stage", new { stage = "c", occurredAt = At(2, 15) }));
            await Log("E1", "meeting", 4, 9);
            await Ok(http.PostJsonAsync("/api/deals/E1/lose", new { reason = "price", occurredAt = At(5, 9) }));
            await Log("E1", "call", 6, 9);
            await Ok(http.PostJsonAsync("/api/deals/E1/reopen", new { stage = "b", occurredAt = At(5, 15) }));
            await Ok(http.PostJsonAsync("/api/deals/E2/owner", new { owner = "dee", occurredAt = At(3, 9) }));
            await Ok(http.PostJsonAsync("/api/deals/E2/win", new { amount = 200m, occurredAt = At(4, 9) }));
            await Log("E3", "visit", 0, 15);
            await Ok(http.PostJsonAsync("/api/deals/E3/win", new { amount = 300m, occurredAt = At(2, 9) }));
            await Log("E3", "call", 3, 9);
            await app.CatchUpAsync();
            effortBuilt = true;
        }
        finally
        {
            Gate.Release();
        }

        Task Log(string dealId, string kind, int day, int hour) =>
            Ok(app.Http.PostJsonAsync("/api/activities", new { rep = "ann", kind, dealId, occurredAt = At(day, hour) }));
    }

    private static DateTimeOffset At(int day, int hour) => E0.AddDays(day).AddHours(hour);

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
