using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>
/// Dwell's open stays and the stalled deals from the open stay counts, the untouched deals from the open touch counts,
/// against the stays and deals themselves.
/// </summary>
public sealed partial class DatedCounterTests
{
    /// <summary>Instants after every event: now, inside later days (one at Berlin's switch to summer time), a year on.</summary>
    public static TheoryData<double, string> LaterInstants => new()
    {
        { 0, "" }, { 3.3, "owner=Ada Park,Kai Lund" }, { 40.75, "team=Enterprise;region=West" }, { 115.05, "product=Team" }, { 365, "" },
    };

    [Theory]
    [MemberData(nameof(LaterInstants))]
    public async Task counted_dwell_of_open_stays_equals_the_scanned_one(double daysLater, string filters)
    {
        var asOf = Later(daysLater);
        var stages = new[] { "validate", "develop", "propose", "close" };
        var query = new DwellQuery(DemoHistory.PipelineId, Filter(filters), null, null, asOf, false) { Zone = BerlinApp.Berlin };

        var counted = await DwellReport.RunAsync(Db, query with { AsItStands = true }, stages, CancellationToken.None);
        var scanned = await DwellReport.RunAsync(Db, query, stages, CancellationToken.None);

        Assert.Equal(scanned.Stages, counted.Stages);
        Assert.True(counted.Stages.Sum(s => s.OpenCount) > 10 && counted.Stages.All(s => s.OpenCount == 0 || s.OpenP50Days > 0));
    }

    [Theory]
    [MemberData(nameof(LaterInstants))]
    public async Task counted_stalled_deals_equal_the_scanned_ones_page_by_page(double daysLater, string filters)
    {
        // Pages past the first skip the stays before them by their counts: nothing happened after these instants.
        var query = new StalledQuery(DemoHistory.PipelineId, Filter(filters), Later(daysLater), 1, 7) { Zone = BerlinApp.Berlin, SkipFrom = 1 };
        foreach (var page in new[] { 1, 2, 5, 9 })
        {
            var counted = await StalledReport.RunAsync(Db, query with { AsItStands = true, Page = page }, CancellationToken.None);
            var scanned = await StalledReport.RunAsync(Db, query with { Page = page }, CancellationToken.None);
            Assert.Equal((page, scanned.Total), (page, counted.Total));
            Assert.Equal(scanned.Deals, counted.Deals);
        }

        var first = await StalledReport.RunAsync(Db, query with { AsItStands = true }, CancellationToken.None);
        Assert.True(first.Total > 7 && first.Deals.Count == 7, $"{first.Total} stalled");
    }

    [Fact]
    public async Task a_stay_stalled_by_a_second_is_counted_on_the_day_of_its_cut()
    {
        // The least overdue stalled deal now, then the instants a second after and a second before it became overdue.
        var query = new StalledQuery(DemoHistory.PipelineId, ReportFilter.None, DateTimeOffset.UtcNow, 1, 500) { Zone = BerlinApp.Berlin };
        var least = (await StalledReport.RunAsync(Db, query, CancellationToken.None)).Deals[^1];
        var overdueAt = query.AsOf - TimeSpan.FromDays((double)least.OverdueDays);
        foreach (var (asOf, stalled) in new[] { (overdueAt.AddSeconds(1), true), (overdueAt.AddSeconds(-1), false) })
        {
            var counted = await StalledReport.RunAsync(Db, query with { AsOf = asOf, AsItStands = true }, CancellationToken.None);
            var scanned = await StalledReport.RunAsync(Db, query with { AsOf = asOf }, CancellationToken.None);
            Assert.Equal(scanned.Total, counted.Total);
            Assert.Equal(scanned.Deals, counted.Deals);
            Assert.Equal(stalled, counted.Deals.Any(d => d.DealId == least.DealId));
        }
    }

    [Theory]
    [MemberData(nameof(LaterInstants))]
    public async Task counted_untouched_deals_equal_the_scanned_ones_page_by_page(double daysLater, string filters)
    {
        foreach (var span in new[] { TimeSpan.FromDays(14), TimeSpan.FromHours(30.5), TimeSpan.FromDays(120) })
        {
            var query = new UntouchedQuery(DemoHistory.PipelineId, Filter(filters), Later(daysLater), span, 1, 7) { Zone = BerlinApp.Berlin };
            foreach (var page in new[] { 1, 2, 5 })
            {
                var counted = await UntouchedReport.RunAsync(Db, query with { AsItStands = true, Page = page }, CancellationToken.None);
                var scanned = await UntouchedReport.RunAsync(Db, query with { Page = page }, CancellationToken.None);
                Assert.Equal((span, page, scanned.Total), (span, page, counted.Total));
                Assert.Equal(scanned.Deals, counted.Deals);
            }
        }
    }

    /// <summary>Past instants: the demo's last midnight, inside its last days, a month and most of a year before its end.</summary>
    public static TheoryData<double, string> PastInstants => new()
    {
        { -1, "" }, { -3.4, "owner=Ada Park,Kai Lund" }, { -30, "team=Enterprise;region=West" }, { -11.6, "product=Team" }, { -250, "" },
    };

    [Theory]
    [MemberData(nameof(PastInstants))]
    public async Task dwell_at_a_past_instant_from_the_changes_since_equals_the_scanned_one(double daysBefore, string filters)
    {
        var stages = new[] { "validate", "develop", "propose", "close" };
        var query = new DwellQuery(DemoHistory.PipelineId, Filter(filters), null, null, Before(daysBefore), false) { Zone = BerlinApp.Berlin };

        var since = await DwellReport.RunAsync(Db, query with { AsItStands = true }, stages, CancellationToken.None);
        var scanned = await DwellReport.RunAsync(Db, query, stages, CancellationToken.None);

        Assert.Equal(scanned.Stages, since.Stages);
        Assert.True(since.Stages.Sum(s => s.OpenCount) > 10 && since.Stages.All(s => s.Completed > 0));
    }

    [Theory]
    [MemberData(nameof(PastInstants))]
    public async Task stalled_deals_at_a_past_instant_from_the_changes_since_equal_the_scanned_ones_page_by_page(double daysBefore, string filters)
    {
        var query = new StalledQuery(DemoHistory.PipelineId, Filter(filters), Before(daysBefore), 1, 7) { Zone = BerlinApp.Berlin };
        foreach (var page in new[] { 1, 2, 5 })
        {
            var since = await StalledReport.RunAsync(Db, query with { AsItStands = true, Page = page }, CancellationToken.None);
            var scanned = await StalledReport.RunAsync(Db, query with { Page = page }, CancellationToken.None);
            Assert.Equal((page, scanned.Total), (page, since.Total));
            Assert.Equal(scanned.Deals, since.Deals);
        }

        Assert.True(filters.Length > 0 || (await StalledReport.RunAsync(Db, query, CancellationToken.None)).Total > 7, "too few stalled compared");
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(4)]
    [InlineData(6.5)]
    [InlineData(9)]
    [InlineData(12.5)]
    public async Task dwell_and_stalled_deals_of_the_scenario_at_a_past_instant_equal_the_scanned_ones(double day)
    {
        // The scenario's deals regress, are reopened, reassigned and closed after these instants: each is read as it stood then.
        var stages = new[] { "a", "b", "c", "d" };
        foreach (var filters in new[] { "", "owner=dee", "owner=cid" })
        {
            var dwell = new DwellQuery("rp", Filter(filters), null, null, ReportScenario.Day(day), false) { Zone = BerlinApp.Berlin };
            Assert.Equal(
                (await DwellReport.RunAsync(Db, dwell, stages, CancellationToken.None)).Stages,
                (await DwellReport.RunAsync(Db, dwell with { AsItStands = true }, stages, CancellationToken.None)).Stages);

            var stalled = new StalledQuery("rp", Filter(filters), ReportScenario.Day(day), 1, 50) { Zone = BerlinApp.Berlin };
            var since = await StalledReport.RunAsync(Db, stalled with { AsItStands = true }, CancellationToken.None);
            var scanned = await StalledReport.RunAsync(Db, stalled, CancellationToken.None);
            Assert.Equal((filters, scanned.Total), (filters, since.Total));
            Assert.Equal(scanned.Deals, since.Deals);
        }
    }

    [Theory]
    [MemberData(nameof(PastInstants))]
    public async Task untouched_deals_at_a_past_instant_from_the_changes_since_equal_the_scanned_ones_page_by_page(double daysBefore, string filters)
    {
        var asOf = Before(daysBefore);
        foreach (var span in new[] { TimeSpan.FromDays(14), TimeSpan.FromHours(30.5) })
        {
            var query = new UntouchedQuery(DemoHistory.PipelineId, Filter(filters), asOf, span, 1, 7) { Zone = BerlinApp.Berlin };
            foreach (var page in new[] { 1, 2, 5 })
            {
                var since = await UntouchedReport.RunAsync(Db, query with { AsItStands = true, Page = page }, CancellationToken.None);
                var scanned = await UntouchedReport.RunAsync(Db, query with { Page = page }, CancellationToken.None);
                Assert.Equal((span, page, scanned.Total), (span, page, since.Total));
                Assert.Equal(scanned.Deals, since.Deals);
            }

            Assert.True(filters.Length > 0 || (await UntouchedReport.RunAsync(Db, query, CancellationToken.None)).Total > 7, "too few untouched compared");
        }
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(4)]
    [InlineData(6.5)]
    [InlineData(9)]
    public async Task untouched_deals_of_the_scenario_at_a_past_instant_equal_the_scanned_ones(double day)
    {
        // The scenario's deals are reopened, reassigned and closed after these instants: each is read as it stood then.
        foreach (var filters in new[] { "", "owner=dee", "owner=ann" })
        {
            var query = new UntouchedQuery("rp", Filter(filters), ReportScenario.Day(day), TimeSpan.FromDays(1), 1, 50) { Zone = BerlinApp.Berlin };
            var since = await UntouchedReport.RunAsync(Db, query with { AsItStands = true }, CancellationToken.None);
            var scanned = await UntouchedReport.RunAsync(Db, query, CancellationToken.None);
            Assert.Equal((filters, scanned.Total), (filters, since.Total));
            Assert.Equal(scanned.Deals, since.Deals);
        }
    }

    [Fact]
    public async Task a_deal_untouched_for_exactly_the_span_is_counted()
    {
        // The most recently touched of the untouched deals now: untouched from the instant its span ends, not a microsecond before.
        var query = new UntouchedQuery(DemoHistory.PipelineId, ReportFilter.None, DateTimeOffset.UtcNow, TimeSpan.FromDays(14), 1, 500) { Zone = BerlinApp.Berlin };
        var latest = (await UntouchedReport.RunAsync(Db, query, CancellationToken.None)).Deals[^1];
        foreach (var (asOf, untouched) in new[] { (latest.UntouchedSince + query.Untouched, true), (latest.UntouchedSince + query.Untouched - TimeSpan.FromTicks(10), false) })
        {
            var counted = await UntouchedReport.RunAsync(Db, query with { AsOf = asOf, AsItStands = true }, CancellationToken.None);
            var scanned = await UntouchedReport.RunAsync(Db, query with { AsOf = asOf }, CancellationToken.None);
            Assert.Equal(scanned.Total, counted.Total);
            Assert.Equal(scanned.Deals, counted.Deals);
            Assert.Equal(untouched, counted.Deals.Any(d => d.DealId == latest.DealId));
        }
    }

    private static DateTimeOffset Before(double days) =>
        days == -1 ? BusinessTime.MidnightIn(DateOnly.FromDateTime(DemoEnd.UtcDateTime).AddDays(-1), BerlinApp.Berlin) : DemoEnd.AddDays(days);

    private static DateTimeOffset Later(double days) =>
        days == 115.05 ? BusinessTime.MidnightIn(new DateOnly(2027, 3, 28), BerlinApp.Berlin).AddHours(2.5) : DateTimeOffset.UtcNow.AddDays(days);
}
