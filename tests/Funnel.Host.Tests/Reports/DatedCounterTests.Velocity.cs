using System.Globalization;
using Funnel.Domain;
using Funnel.Host.Demo;
using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>Velocity from the close, deal and interval counts against the deal and interval rows.</summary>
public sealed partial class DatedCounterTests
{
    [Theory]
    [InlineData("sales", "2026-01-01", null, "")]
    [InlineData("sales", null, null, "owner=Ada Park,Kai Lund")]
    [InlineData("sales", "2025-11-15", "2026-05-01", "team=Enterprise")]
    [InlineData("sales", "2026-03-29", "2026-03-30", "")]
    [InlineData("sales", null, "2026-08-20", "region=West;product=Team")]
    [InlineData("rp", "2026-01-05", "2026-01-16", "")]
    [InlineData("rp", null, null, "")]
    public async Task counted_velocity_equals_the_scanned_one(string pipelineId, string? from, string? to, string filters)
    {
        // Windows of whole Berlin days up to now or to a midnight (the switch to summer time among them); the scenario's
        // reopened deal (lost, then open again) and its loss recorded last.
        DateTimeOffset? Midnight(string? day) => day is null ? null : BusinessTime.MidnightIn(DateOnly.Parse(day, CultureInfo.InvariantCulture), BerlinApp.Berlin);
        var query = new VelocityQuery(pipelineId, Filter(filters), Midnight(from), Midnight(to) ?? DateTimeOffset.UtcNow, false) { ToNow = to is null, Zone = BerlinApp.Berlin };
        Assert.True(query.Countable);

        var counted = await VelocityReport.RunAsync(Db, query, CancellationToken.None);
        var scanned = await VelocityReport.RunAsync(Db, query with { Explain = true }, CancellationToken.None);

        Assert.Equal(scanned with { OpenDeals = null, WonDeals = null, LostDeals = null }, counted);
        Assert.True(counted.WonCount + counted.LostCount > 0 && (pipelineId == "rp" || counted.OpenCount > 0), $"{counted}");
    }
}
