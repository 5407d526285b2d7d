using System.Net;
using System.Net.Http.Json;
using Funnel.Host.Tests.Faults;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Reports;

/// <summary>Every report honours what it documents and refuses what it does not know or cannot hold, naming the parameter.</summary>
[Collection(HostileCollection.Name)]
public sealed class ReportParameterTests(HostileApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim Seeded = new(1, 1);
    private static bool seeded;

    public async Task InitializeAsync()
    {
        await Seeded.WaitAsync();
        try
        {
            if (!seeded)
            {
                await SeedAsync();
                seeded = true;
            }
        }
        finally
        {
            Seeded.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task SeedAsync()
    {
        await Define(0.3m, T0);
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "P-1", pipelineId = "pr", name = "One", owner = "ann", amount = 1000m, stage = "b", occurredAt = T0.AddDays(1) });
        await Define(0.6m, T0.AddDays(2));
        await app.CatchUpAsync();
    }

    [Fact]
    public async Task snapshot_weighs_a_past_instant_with_todays_probabilities_when_asked()
    {
        var asOf = Uri.EscapeDataString(T0.AddDays(1.5).ToString("O"));

        // 1000 in b: 30% then, 60% in today's definition.
        var then = await app.GetJsonAsync($"/api/funnel/pr/snapshot?asOf={asOf}");
        var current = await app.GetJsonAsync($"/api/funnel/pr/snapshot?asOf={asOf}&probabilities=current");
        Assert.Equal(300m, then.GetProperty("stages")[1].GetProperty("weightedAmount").GetDecimal());
        Assert.Equal(600m, current.GetProperty("stages")[1].GetProperty("weightedAmount").GetDecimal());
        Assert.Equal("current", current.GetProperty("filters").GetProperty("probabilities").GetString());
    }

    [Theory]
    [InlineData("/api/funnel/pr/snapshot?asof=2026-03-01", "asof", "unknown-parameter")]
    [InlineData("/api/funnel/pr/conversion?from=2026-03-02&to=2026-03-01", "from", "range-order")]
    [InlineData("/api/funnel/pr/dwell?from=2026-03-02&to=2026-03-01", "from", "range-order")]
    [InlineData("/api/funnel/pr/changes?since=2026-03-02&until=2026-03-01", "since", "range-order")]
    [InlineData("/api/funnel/pr/conversion?within=-3d", "within", "duration")]
    [InlineData("/api/funnel/pr/conversion?within=PT0S", "within", "duration-range")]
    [InlineData("/api/funnel/pr/conversion?within=10675200d", "within", "duration-range")]
    [InlineData("/api/funnel/pr/conversion?within=P99999999D", "within", "duration")]
    [InlineData("/api/funnel/pr/dwell?asOf=9999-12-31T23:59:59.9999999Z", "asOf", "instant-range")]
    [InlineData("/api/funnel/pr/stalled?asOf=9999-12-31T23:59:59.9999999Z", "asOf", "instant-range")]
    [InlineData("/api/funnel/pr/changes?until=0001-01-01", "until", "instant-range")]
    [InlineData("/api/funnel/pr/velocity?to=0001-01-01", "to", "instant-range")]
    [InlineData("/api/funnel/pr/forecast?owner=%00", "owner", "query-value")]
    [InlineData("/api/deals?pageSize=100000", "pageSize", "range")]
    [InlineData("/api/deals?status=1", "status", "one-of")]
    [InlineData("/api/events?limit=0", "limit", "range")]
    [InlineData("/api/funnel/pr/attainment", "period", "required")]
    [InlineData("/api/funnel/pr/snapshot?explain=maybe", "explain", "boolean")]
    [InlineData("/api/funnel/pr/activity?from=2026-03-02&to=2026-03-01", "from", "range-order")]
    [InlineData("/api/funnel/pr/handovers?from=2026-03-02&to=2026-03-01", "from", "range-order")]
    [InlineData("/api/deals/P-1?asOf=2026-03-01&extra=1", "extra", "unknown-parameter")]
    public async Task a_parameter_that_cannot_hold_is_a_400_naming_it(string url, string field, string rule) =>
        await (await app.Http.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest, field, rule);

    private async Task Define(decimal b, DateTimeOffset at) =>
        (await app.Http.PutAsJsonAsync("/api/pipelines/pr", new
        {
            name = "PR",
            stages = new object[] { new { id = "a", name = "A", probability = 0.1m }, new { id = "b", name = "B", probability = b } },
            occurredAt = at,
        })).EnsureSuccessStatusCode();
}
