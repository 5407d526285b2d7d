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
            Assert.True(query.SpansCountable);
            var total = (await UntouchedReport.RunAsync(Db, query with { AsItStands = false }, CancellationToken.None)).Total;
            var last = (int)Math.Max(1, (total + 6) / 7);
            foreach (var page in new[] { 1, 2, 5, last, last + 1 }.Distinct())
            {
                var counted = await UntouchedReport.RunAsync(Db, query with { Page = page }, CancellationToken.None);
                var scanned = await UntouchedReport.RunAsync(Db, query with { Page = page, AsItStands = false }, CancellationToken.None);
                Assert.Equal((span, page, scanned.Total), (span, page, counted.Total));
                Assert.Equal(scanned.Deals, counted.Deals);
            }

            totals.Add(total);
        }

        Assert.True(totals.Max() > 7, $"{totals.Max()} untouched at most at {asOf:O}: too few to page");
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
            Assert.True(query.SpansCountable);
            var counted = await UntouchedReport.RunAsync(Db, query, CancellationToken.None);
            var scanned = await UntouchedReport.RunAsync(Db, query with { AsItStands = false }, CancellationToken.None);
            Assert.Equal((span, scanned.Total), (span, counted.Total));
            Assert.Equal(scanned.Deals, counted.Deals);
        }
    }
}
