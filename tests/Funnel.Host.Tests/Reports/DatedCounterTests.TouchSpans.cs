using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>The untouched deals at a past midnight from the touch span counts and spans, against the deals and activities themselves.</summary>
public sealed partial class DatedCounterTests
{
    /// <summary>Berlin midnights before the demo's end: the last, a week, a month, four months, the day after summer time began, most of a year back.</summary>
    public static TheoryData<int> PastMidnights => new() { 1, 7, 30, 120, 185, 250 };

    [Theory]
    [MemberData(nameof(PastMidnights))]
    public async Task untouched_deals_at_a_past_midnight_from_the_touch_span_counts_equal_the_scanned_ones_page_by_page(int daysBefore)
    {
        // Across a change of summer time (185 days back, 14 days), the cut falls at an hour inside a day.
        var asOf = BusinessTime.MidnightIn(DateOnly.FromDateTime(DemoEnd.UtcDateTime).AddDays(-daysBefore), BerlinApp.Berlin);
        var totals = new List<long>();
        foreach (var span in new[] { TimeSpan.FromDays(14), TimeSpan.FromDays(1), TimeSpan.FromDays(120) })
        {
            var query = new UntouchedQuery(DemoHistory.PipelineId, ReportFilter.None, asOf, span, 1, 7) { Zone = BerlinApp.Berlin, AsItStands = true };
            totals.Add(await CountedPagesEqualScannedAsync(query, 1, 2, 5));
        }

        Assert.True(totals.Max() > 7, $"{totals.Max()} untouched at most at {asOf:O}: too few to page");
    }

    /// <summary>Filters: a team, two reps (one of them the leaver handing over), a region, a product, a team and a region.</summary>
    public static TheoryData<int, string> FilteredPastMidnights()
    {
        var data = new TheoryData<int, string>();
        foreach (var daysBefore in new[] { 1, 30, 185, 250 })
        {
            foreach (var filter in new[] { "team=Enterprise", "owner=Ada Park,Fay Moreau", "region=West", "product=Business", "team=Mid-market&region=West" })
            {
                data.Add(daysBefore, filter);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FilteredPastMidnights))]
    public async Task filtered_untouched_deals_at_a_past_midnight_from_the_touch_span_counts_by_attributes_equal_the_scanned_ones(int daysBefore, string filter)
    {
        // Each deal counts under what it had at asOf: a deal handed over since counts under its holder then.
        var asOf = BusinessTime.MidnightIn(DateOnly.FromDateTime(DemoEnd.UtcDateTime).AddDays(-daysBefore), BerlinApp.Berlin);
        var named = filter.Split('&').Select(f => f.Split('=')).ToDictionary(f => f[0], f => (IReadOnlyList<string>)f[1].Split(','));
        IReadOnlyList<string> Named(string name) => named.GetValueOrDefault(name) ?? [];
        var reportFilter = new ReportFilter(Named("owner"), Named("team"), Named("region"), Named("product"));
        var totals = new List<long>();
        foreach (var span in new[] { TimeSpan.FromDays(1), TimeSpan.FromDays(14) })
        {
            var query = new UntouchedQuery(DemoHistory.PipelineId, reportFilter, asOf, span, 1, 3) { Zone = BerlinApp.Berlin, AsItStands = true };
            totals.Add(await CountedPagesEqualScannedAsync(query, 1, 2));
        }

        Assert.True(totals.Max() > 3, $"{totals.Max()} untouched by {filter} at {asOf:O} at most: too few to page");
    }

    /// <summary>
    /// The query's pages (those given, the last and the one past it) from the touch span counts against the same pages
    /// scanned, totals and deals; returns the scanned total.
    /// </summary>
    private async Task<long> CountedPagesEqualScannedAsync(UntouchedQuery query, params int[] pages)
    {
        Assert.True(query.SpansCountable);
        var total = (await UntouchedReport.RunAsync(Db, query with { AsItStands = false }, CancellationToken.None)).Total;
        var last = (int)Math.Max(1, (total + query.PageSize - 1) / query.PageSize);
        foreach (var page in pages.Append(last).Append(last + 1).Distinct())
        {
            var counted = await UntouchedReport.RunAsync(Db, query with { Page = page }, CancellationToken.None);
            var scanned = await UntouchedReport.RunAsync(Db, query with { Page = page, AsItStands = false }, CancellationToken.None);
            Assert.Equal((query.Untouched, page, scanned.Total), (query.Untouched, page, counted.Total));
            Assert.Equal(scanned.Deals, counted.Deals);
        }

        return total;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(16)]
    public async Task untouched_deals_of_the_scenario_at_a_midnight_from_the_touch_span_counts_equal_the_scanned_ones(int day)
    {
        // The scenario's deals are reopened, reassigned, closed by an event recorded late, and their pipeline redefined:
        // each is read as it stood at that Berlin midnight.
        var asOf = BusinessTime.MidnightIn(DateOnly.FromDateTime(ReportScenario.T0.UtcDateTime).AddDays(day), BerlinApp.Berlin);
        foreach (var span in new[] { TimeSpan.FromDays(1), TimeSpan.FromDays(2) })
        {
            var query = new UntouchedQuery("rp", ReportFilter.None, asOf, span, 1, 50) { Zone = BerlinApp.Berlin, AsItStands = true };
            // X4, reassigned from cid to dee on day 6, counts under cid before it and under dee after (its team then none).
            foreach (var filter in new[] { ReportFilter.None, ReportFilter.None with { Owner = ["cid"] }, ReportFilter.None with { Owner = ["dee"] }, ReportFilter.None with { Team = ["east"] } })
            {
                Assert.True((query with { Filter = filter }).SpansCountable);
                var counted = await UntouchedReport.RunAsync(Db, query with { Filter = filter }, CancellationToken.None);
                var scanned = await UntouchedReport.RunAsync(Db, query with { Filter = filter, AsItStands = false }, CancellationToken.None);
                Assert.Equal((span, filter, scanned.Total), (span, filter, counted.Total));
                Assert.Equal(scanned.Deals, counted.Deals);
            }
        }
    }
}
