using System.Globalization;
using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>What changed in a window, from the stay change and interval counts, against the stays and intervals.</summary>
public sealed partial class DatedCounterTests
{
    [Theory]
    [InlineData("sales", "2026-04-01", "2026-05-01", "")]
    [InlineData("sales", "2025-10-01", "2026-10-01", "owner=Ada Park,Kai Lund")]
    [InlineData("sales", "2026-03-28", "2026-03-31", "team=Enterprise")]
    [InlineData("sales", "2026-02-14", "2026-09-03", "region=West;product=Team")]
    [InlineData("rp", "2026-01-04", "2026-01-17", "")]
    [InlineData("rp", "2026-01-08", "2026-01-12", "owner=dee")]
    [InlineData("sales", "2026-04-01T10:30:00Z", "2026-05-01T15:00:00Z", "")]
    [InlineData("sales", "2026-03-27T18:00:00Z", "2026-03-30T09:00:00Z", "team=Enterprise")]
    [InlineData("sales", "2026-04-03T07:00:00Z", "2026-04-03T17:30:00Z", "")]
    [InlineData("sales", "2026-02-14T12:00:00Z", "2026-09-03", "region=West;product=Team")]
    [InlineData("sales", "2026-06-01T00:30:00Z", "2026-06-20T21:00:00Z", "")]
    [InlineData("rp", "2026-01-04T11:00:00Z", "2026-01-16T13:00:00Z", "")]
    public async Task counted_changes_equal_the_scanned_ones(string pipelineId, string since, string until, string filters)
    {
        // Windows of whole Berlin days (a month, a year, three days over the switch to summer time); the scenario's regressions,
        // reopened deal, reassignment and the loss recorded last. Then windows that begin or end inside a day (their whole
        // days counted, the rest read): a month, over the switch, one working day, one bound a midnight, and three weeks of
        // June whose first and last days are nearly whole (changes of amount among them).
        DateTimeOffset At(string day) => day.Contains('T') ? DateTimeOffset.Parse(day, CultureInfo.InvariantCulture)
            : BusinessTime.MidnightIn(DateOnly.Parse(day, CultureInfo.InvariantCulture), BerlinApp.Berlin);
        var query = new ChangesQuery(pipelineId, Filter(filters), At(since), At(until), false, PageSize: 3) { Zone = BerlinApp.Berlin };
        Assert.True(query.Countable);
        var stages = pipelineId == "rp" ? new[] { "a", "b", "c", "d" } : ["validate", "develop", "propose", "close"];

        var counted = await ChangesReport.RunAsync(Db, query, stages, CancellationToken.None);
        var scanned = await ChangesReport.RunAsync(Db, query with { Explain = true }, stages, CancellationToken.None);

        Assert.Equal(scanned.Stages.Select(s => s with { EnteredDeals = null, LeftDeals = null }), counted.Stages);
        Assert.Equal(scanned.Won with { Deals = null }, counted.Won);
        Assert.Equal(scanned.Lost with { Deals = null }, counted.Lost);
        // The changes of amount, their total and their first two pages of three.
        Assert.Equal(scanned.AmountChangesTotal, counted.AmountChangesTotal);
        foreach (var page in new[] { 1, 2 })
        {
            var countedPage = await ChangesReport.RunAsync(Db, query with { Page = page }, stages, CancellationToken.None);
            Assert.Equal((await ChangesReport.RunAsync(Db, query with { Page = page, Explain = true }, stages, CancellationToken.None)).AmountChanges, countedPage.AmountChanges);
            Assert.Equal(Math.Clamp(counted.AmountChangesTotal - ((page - 1) * 3), 0, 3), countedPage.AmountChanges.Count);
        }
        Assert.True(counted.Stages.Sum(s => s.Entered) > 0 && counted.Stages.Sum(s => s.Left) > 0, $"{string.Join(", ", counted.Stages)}");
    }
}
