using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>Dwell and the stalled deals over every deal at past midnights, from the stays counted by when they ended and were entered, against the stays themselves.</summary>
public sealed partial class DatedCounterTests
{
    /// <summary>
    /// Berlin midnights: the demo's first weeks, the days either side of the switch to summer time, the first of a month,
    /// its last day, and a year on; and the scenario's days, through its regressions, reopening, reassignment and late loss.
    /// </summary>
    public static TheoryData<string, string> Midnights => new()
    {
        { DemoHistory.PipelineId, "2025-10-20" }, { DemoHistory.PipelineId, "2026-03-29" }, { DemoHistory.PipelineId, "2026-03-30" },
        { DemoHistory.PipelineId, "2026-05-01" }, { DemoHistory.PipelineId, "2026-09-30" }, { DemoHistory.PipelineId, "2027-10-01" },
        { "rp", "2026-01-08" }, { "rp", "2026-01-09" }, { "rp", "2026-01-11" }, { "rp", "2026-01-14" }, { "rp", "2026-01-18" },
    };

    [Theory]
    [MemberData(nameof(Midnights))]
    public async Task dwell_over_every_deal_at_a_midnight_from_the_dated_stays_equals_the_scanned_one(string pipelineId, string day)
    {
        var stages = pipelineId == "rp" ? new[] { "a", "b", "c", "d" } : ["validate", "develop", "propose", "close"];
        var asOf = BusinessTime.MidnightIn(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), BerlinApp.Berlin);
        var query = new DwellQuery(pipelineId, ReportFilter.None, null, null, asOf, false) { Zone = BerlinApp.Berlin };
        Assert.True((query with { AsItStands = true }).AtMidnight);

        // No change after the midnight is put right: the dated counters answer, however few changes follow.
        var counted = await DwellReport.RunAsync(Db, query with { AsItStands = true, ChangedLimit = 0 }, stages, CancellationToken.None);
        var scanned = await DwellReport.RunAsync(Db, query, stages, CancellationToken.None);

        Assert.Equal(scanned.Stages, counted.Stages);
        Assert.True(counted.Stages.Sum(s => s.Completed) > 0 && counted.Stages.Sum(s => s.OpenCount) > 0);
    }

    [Theory]
    [MemberData(nameof(Midnights))]
    public async Task stalled_deals_over_every_deal_at_a_midnight_from_the_dated_stays_equal_the_scanned_ones_page_by_page(string pipelineId, string day)
    {
        var asOf = BusinessTime.MidnightIn(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), BerlinApp.Berlin);
        var query = new StalledQuery(pipelineId, ReportFilter.None, asOf, 1, 3) { Zone = BerlinApp.Berlin };
        Assert.True((query with { AsItStands = true }).AtMidnight);
        foreach (var page in new[] { 1, 2, 4, 9 })
        {
            var counted = await StalledReport.RunAsync(Db, query with { AsItStands = true, ChangedLimit = 0, Page = page }, CancellationToken.None);
            var scanned = await StalledReport.RunAsync(Db, query with { Page = page }, CancellationToken.None);
            Assert.Equal((page, scanned.Total), (page, counted.Total));
            Assert.Equal(scanned.Deals, counted.Deals);
        }

        // The scenario's few deals are stalled on some of its days only; the demo's on every one.
        Assert.True(pipelineId == "rp" || (await StalledReport.RunAsync(Db, query, CancellationToken.None)).Total > 3, "too few stalled compared");
    }
}
