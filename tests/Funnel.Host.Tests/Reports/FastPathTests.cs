using System.Globalization;
using System.Text.Json;
using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Reports;

/// <summary>
/// Reports "as it stands" read running counts or the current deals; with an explicit far-future instant the same
/// reports scan the time-bounded rows instead. On a few hundred demo deals both ways must agree to the last number.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class FastPathTests(FunnelApp app) : IAsyncLifetime
{
    private const string Future = "2100-01-01T00:00:00Z";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool seeded;

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!seeded)
            {
                await DemoSeeder.SeedAsync(app.Store, 600, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero), CancellationToken.None);
                await app.CatchUpAsync();
                seeded = true;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("")]
    [InlineData("owner=Ada%20Park&owner=Kai%20Lund")]
    [InlineData("team=Enterprise&region=West")]
    public async Task counted_conversion_equals_the_scanned_one(string filters)
    {
        var counted = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/conversion?{filters}");
        var scanned = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/conversion?asOf={Future}&{filters}");
        Assert.Equal(scanned.GetProperty("stages").GetRawText(), counted.GetProperty("stages").GetRawText());
        Assert.Equal(scanned.GetProperty("total").GetRawText(), counted.GetProperty("total").GetRawText());
        Assert.True(counted.GetProperty("total").GetProperty("entered").GetInt32() > 0);
    }

    [Fact]
    public async Task counted_losses_equal_the_scanned_ones()
    {
        var counted = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/losses");
        var scanned = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/losses?from=1900-01-01");
        Assert.Equal(scanned.GetProperty("reasons").GetRawText(), counted.GetProperty("reasons").GetRawText());
        Assert.True(counted.GetProperty("reasons").GetArrayLength() >= 5);
    }

    [Theory]
    [InlineData("stage")]
    [InlineData("owner")]
    [InlineData("closeMonth")]
    public async Task the_forecast_now_equals_the_forecast_at_a_later_instant(string groupBy)
    {
        var now = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/forecast?groupBy={groupBy}");
        var later = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/forecast?groupBy={groupBy}&asOf={Future}");
        Assert.Equal(later.GetProperty("groups").GetRawText(), now.GetProperty("groups").GetRawText());
        Assert.True(now.GetProperty("count").GetInt32() > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("owner=Ada%20Park&owner=Kai%20Lund")]
    [InlineData("team=Enterprise&region=West")]
    public async Task the_snapshot_now_equals_the_snapshot_at_a_later_instant(string filters)
    {
        var now = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/snapshot?{filters}");
        var later = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/snapshot?asOf={Future}&{filters}");
        foreach (var part in new[] { "stages", "won", "lost" })
        {
            Assert.Equal(later.GetProperty(part).GetRawText(), now.GetProperty(part).GetRawText());
        }

        Assert.True(now.GetProperty("won").GetProperty("count").GetInt32() > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&owner=Ada%20Park&owner=Kai%20Lund")]
    [InlineData("&team=Enterprise&region=West")]
    public async Task bucketed_dwell_equals_the_scanned_one(string filters)
    {
        var counted = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/dwell?asOf={Future}{filters}");
        var scanned = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/dwell?asOf={Future}&from=1900-01-01{filters}");
        Assert.Equal(scanned.GetProperty("stages").GetRawText(), counted.GetProperty("stages").GetRawText());
        Assert.True(counted.GetProperty("stages")[0].GetProperty("completed").GetInt32() > 10);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Enterprise")]
    public async Task stalled_as_it_stands_equals_the_scanned_list(string? team)
    {
        var db = app.Services.GetRequiredService<Funnel.Host.Tenancy.TenantReports>().For(Funnel.Domain.Access.Tenants.Default);
        var filter = ReportFilter.None with { Team = team is null ? [] : [team] };
        var query = new StalledQuery(DemoHistory.PipelineId, filter, DateTimeOffset.Parse(Future, CultureInfo.InvariantCulture), 1, 500);
        var counted = await StalledReport.RunAsync(db, query with { AsItStands = true }, CancellationToken.None);
        var scanned = await StalledReport.RunAsync(db, query, CancellationToken.None);
        Assert.Equal(scanned.Deals, counted.Deals);
        Assert.Equal(scanned.Total, counted.Total);
        Assert.True(counted.Deals.Count > 10);
    }

    [Theory]
    [InlineData(null, "14d")]
    [InlineData("Enterprise", "3d")]
    public async Task untouched_as_it_stands_equals_the_scanned_list(string? team, string untouched)
    {
        var db = app.Services.GetRequiredService<Funnel.Host.Tenancy.TenantReports>().For(Funnel.Domain.Access.Tenants.Default);
        var filter = ReportFilter.None with { Team = team is null ? [] : [team] };
        var span = TimeSpan.FromDays(int.Parse(untouched[..^1], CultureInfo.InvariantCulture));
        var query = new UntouchedQuery(DemoHistory.PipelineId, filter, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), span, 1, 500);
        var current = await UntouchedReport.RunAsync(db, query with { AsItStands = true }, CancellationToken.None);
        var scanned = await UntouchedReport.RunAsync(db, query, CancellationToken.None);
        Assert.Equal(scanned.Deals, current.Deals);
        Assert.Equal(scanned.Total, current.Total);
        Assert.True(current.Deals.Count > 5);

        // A later page: the deals changed since asOf (as they stood) and those as they stand, paged together.
        var third = await UntouchedReport.RunAsync(db, query with { AsItStands = true, Page = 3, PageSize = 2 }, CancellationToken.None);
        Assert.Equal(scanned.Deals.Skip(4).Take(2), third.Deals);
    }

    [Fact]
    public async Task the_deal_list_gives_the_version_a_command_expects()
    {
        // Demo deals carry activities: the list's version is the stream's, as the deal's own answer gives it.
        var list = await Numbers($"/api/deals?pipelineId={DemoHistory.PipelineId}&pageSize=20");
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var deal = await Numbers($"/api/deals/{item.GetProperty("dealId").GetString()}");
            Assert.Equal(deal.GetProperty("version").GetInt32(), item.GetProperty("version").GetInt32());
        }

        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("version").GetInt32() > 4);
    }

    [Fact]
    public async Task stalled_pages_through_the_whole_list()
    {
        var all = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/stalled?pageSize=500");
        var second = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/stalled?page=2&pageSize=3");
        var beyond = await Numbers($"/api/funnel/{DemoHistory.PipelineId}/stalled?page=1000&pageSize=3");
        var ids = all.GetProperty("deals").EnumerateArray().Select(d => d.GetProperty("dealId").GetString()).ToList();
        Assert.Equal(ids.Skip(3).Take(3), second.GetProperty("deals").EnumerateArray().Select(d => d.GetProperty("dealId").GetString()));
        Assert.Equal(ids.Count, all.GetProperty("total").GetInt32());
        Assert.Equal((0, ids.Count), (beyond.GetProperty("deals").GetArrayLength(), beyond.GetProperty("total").GetInt32()));
    }

    /// <summary>The report without its echo of the query, which differs by design.</summary>
    private async Task<JsonElement> Numbers(string url) => await app.GetJsonAsync(url);
}
