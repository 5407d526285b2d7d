using System.Globalization;
using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>The activity report by rep and day from the activity counts and the reps' deals per day, against the activity rows.</summary>
public sealed partial class DatedCounterTests
{
    [Theory]
    [InlineData("2026-09-01", "2026-10-01", "", "rep,day", "")]
    [InlineData("2026-03-23", "2026-04-06", "Ada Park,Kai Lund", "day,rep", "")]
    [InlineData("2025-10-01", "2026-10-02", "Dana Wu", "rep,day", "")]
    [InlineData("2026-04-01", "2026-05-01", "", "rep,day", "Enterprise")]
    [InlineData("2025-10-01", "2026-10-02", "Eli Novak", "day,rep", "Mid-market")]
    [InlineData("2026-09-01T10:30:00+02:00", "2026-10-01T16:00:00+02:00", "", "rep,day", "")]
    [InlineData("2026-03-26T20:00:00Z", "2026-03-31T11:00:00Z", "", "day,rep", "")]
    [InlineData("2026-04-03T07:00:00Z", "2026-04-03T17:30:00Z", "", "rep,day", "")]
    [InlineData("2026-04-01T12:00:00Z", "2026-05-01T00:00:00+02:00", "", "rep,day", "Enterprise")]
    public async Task counted_activity_by_rep_and_day_equals_the_rows(string from, string to, string reps, string groupBy, string team)
    {
        // A month, two weeks over Berlin's switch to summer time, a whole year, one team's activities; the day is Berlin's.
        // Windows that begin or end inside a day (the whole days counted, the rest read): a month, over the switch, one
        // working day, one team's month from a noon.
        DateTimeOffset At(string day) => day.Contains('T') ? DateTimeOffset.Parse(day, CultureInfo.InvariantCulture) : Midnight(day);
        var (start, end) = (At(from), At(to));
        var grouping = groupBy.Split(',').Select(g => Enum.Parse<ActivityGrouping>(g, ignoreCase: true)).ToList();
        var repList = reps.Length == 0 ? [] : reps.Split(',');
        var query = new ActivityCountsQuery(DemoHistory.PipelineId, start, end, grouping, repList, team.Length == 0 ? [] : [team], [], BerlinApp.Berlin);
        Assert.True(query.Countable);
        var report = await ActivityCountsReport.RunAsync(Db, query, CancellationToken.None);

        // The same from the rows: the pipeline's deals' activities, and those on no deal by reps who own one of its deals.
        var order = string.Join(", ", grouping.Select(g => g == ActivityGrouping.Rep ? "rep" : "day"));
        var expected = await QueryStringsAsync($"""
            select rep || ' ' || day || ' ' || count(*) || ' ' || coalesce(sum(duration_minutes), 0) || ' ' || count(distinct deal_id) from (
                select a.*, (a.occurred_at at time zone 'Europe/Berlin')::date as day from funnel.activities a
                where (a.pipeline_id = 'sales' or (a.pipeline_id is null and a.rep in (select owner from funnel.deal_current where pipeline_id = 'sales')))
                  and a.occurred_at >= '{start:O}' and a.occurred_at < '{end:O}' {(repList.Length == 0 ? "" : $"and a.rep in ({string.Join(", ", repList.Select(r => $"'{r}'"))})")}
                  {(team.Length == 0 ? "" : $"and a.team = '{team}'")}
            ) x group by rep, day order by {order}
            """);
        Assert.Equal(expected, report.Groups.Select(g => $"{g.Rep} {g.Day:yyyy-MM-dd} {g.Activities} {g.Minutes} {g.Deals}"));
        Assert.True(report.Groups.Count > 10 && report.Groups.Any(g => g.Deals > 1));
    }

    [Fact]
    public async Task a_deal_worked_under_two_teams_in_a_day_counts_once_in_each_teams_deals_and_once_in_all()
    {
        // One rep, one Berlin day: deal A under Enterprise and under Mid-market (teams given with the activities), deal B under Enterprise.
        var day = Midnight("2026-06-10");
        var deals = await QueryStringsAsync("select deal_id from funnel.deal_current where pipeline_id = 'sales' and captured_at < '2026-06-01' order by deal_id collate \"C\" limit 2");
        foreach (var (id, deal, team, hour) in new[] { ("two-teams-1", deals[0], "Enterprise", 9), ("two-teams-2", deals[0], "Mid-market", 11), ("two-teams-3", deals[1], "Enterprise", 14) })
        {
            var logged = await app.Http.PostJsonAsync("/api/activities", new { activityId = id, rep = "Zoe Two-Teams", kind = "call", dealId = deal, team, occurredAt = day.AddHours(hour) });
            Assert.True(logged.IsSuccessStatusCode, await logged.Content.ReadAsStringAsync());
        }

        await app.CatchUpAsync();
        // By hand: all three activities on two deals; Enterprise's two on two deals; Mid-market's one on one.
        foreach (var (teams, activities, worked) in new[] { (Array.Empty<string>(), 3L, 2L), (["Enterprise"], 2L, 2L), (["Mid-market"], 1L, 1L) })
        {
            var query = new ActivityCountsQuery(DemoHistory.PipelineId, day, day.AddDays(1), [ActivityGrouping.Rep, ActivityGrouping.Day], ["Zoe Two-Teams"], teams, [], BerlinApp.Berlin);
            Assert.True(query.Countable);
            var counted = Assert.Single((await ActivityCountsReport.RunAsync(Db, query, CancellationToken.None)).Groups);
            Assert.Equal((activities, worked), (counted.Activities, counted.Deals));
        }
    }

    private static DateTimeOffset Midnight(string day) => BusinessTime.MidnightIn(DateOnly.Parse(day, CultureInfo.InvariantCulture), BerlinApp.Berlin);
}
