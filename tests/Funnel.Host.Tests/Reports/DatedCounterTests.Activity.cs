using System.Globalization;
using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>The activity report by rep and day from the activity counts and the reps' deals per day, against the activity rows.</summary>
public sealed partial class DatedCounterTests
{
    [Theory]
    [InlineData("2026-09-01", "2026-10-01", "", "rep,day")]
    [InlineData("2026-03-23", "2026-04-06", "Ada Park,Kai Lund", "day,rep")]
    [InlineData("2025-10-01", "2026-10-02", "Dana Wu", "rep,day")]
    public async Task counted_activity_by_rep_and_day_equals_the_rows(string from, string to, string reps, string groupBy)
    {
        // A month, two weeks over Berlin's switch to summer time, a whole year; the day is Berlin's.
        var (start, end) = (Midnight(from), Midnight(to));
        var grouping = groupBy.Split(',').Select(g => Enum.Parse<ActivityGrouping>(g, ignoreCase: true)).ToList();
        var repList = reps.Length == 0 ? [] : reps.Split(',');
        var query = new ActivityCountsQuery(DemoHistory.PipelineId, start, end, grouping, repList, [], [], BerlinApp.Berlin);
        Assert.True(query.Countable);
        var report = await ActivityCountsReport.RunAsync(Db, query, CancellationToken.None);

        // The same from the rows: the pipeline's deals' activities, and those on no deal by reps who own one of its deals.
        var order = string.Join(", ", grouping.Select(g => g == ActivityGrouping.Rep ? "rep" : "day"));
        var expected = await QueryStringsAsync($"""
            select rep || ' ' || day || ' ' || count(*) || ' ' || coalesce(sum(duration_minutes), 0) || ' ' || count(distinct deal_id) from (
                select a.*, (a.occurred_at at time zone 'Europe/Berlin')::date as day from funnel.activities a
                where (a.pipeline_id = 'sales' or (a.pipeline_id is null and a.rep in (select owner from funnel.deal_current where pipeline_id = 'sales')))
                  and a.occurred_at >= '{start:O}' and a.occurred_at < '{end:O}' {(repList.Length == 0 ? "" : $"and a.rep in ({string.Join(", ", repList.Select(r => $"'{r}'"))})")}
            ) x group by rep, day order by {order}
            """);
        Assert.Equal(expected, report.Groups.Select(g => $"{g.Rep} {g.Day:yyyy-MM-dd} {g.Activities} {g.Minutes} {g.Deals}"));
        Assert.True(report.Groups.Count > 10 && report.Groups.Any(g => g.Deals > 1));
    }

    private static DateTimeOffset Midnight(string day) => BusinessTime.MidnightIn(DateOnly.Parse(day, CultureInfo.InvariantCulture), BerlinApp.Berlin);
}
