using System.Net;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Host.Tenancy;
using Funnel.Projections.Reports;
using Funnel.Projections.Timeline;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Faults;

/// <summary>A host whose stopped projection stays stopped (no watchdog), with a lag limit of one event.</summary>
public sealed class StrictHealthApp : FunnelApp
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Funnel:Health:Watchdog"] = "false",
        ["Funnel:Health:MaxLagEvents"] = "1",
    };
}

[CollectionDefinition(Name)]
public sealed class StrictHealthCollection : ICollectionFixture<StrictHealthApp>
{
    public const string Name = "strict health";
}

[Collection(StrictHealthCollection.Name)]
public sealed class HealthTests(StrictHealthApp app)
{
    [Fact]
    public async Task ready_reports_a_stopped_daemon_as_unhealthy_and_a_lag_past_the_limit_as_degraded()
    {
        await app.PutClassicPipelineAsync("hl");
        await app.CatchUpAsync();
        var live = await app.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await app.GetJsonAsync("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());

        // Paused with its leadership loop, which would otherwise restart a stopped agent on its next poll.
        var coordinator = app.Services.GetRequiredService<IProjectionCoordinator>();
        await coordinator.PauseAsync();
        for (var i = 0; i < 3; i++)
        {
            (await app.Http.PostJsonAsync("/api/deals", new { dealId = $"HL-{i}", pipelineId = "hl", name = "Lag", owner = "ann", amount = 1m })).EnsureSuccessStatusCode();
        }

        // A report's lag is the tenant's events its read models lack, one a capture, counted up to a bound.
        var freshness = (await app.GetJsonAsync("/api/funnel/hl/losses")).GetProperty("freshness");
        Assert.Equal(3, freshness.GetProperty("lagEvents").GetInt64());
        var reports = app.Services.GetRequiredService<TenantReports>().For(Domain.Access.Tenants.Default);
        Assert.Equal(2, (await Freshness.ReadAsync(reports, CancellationToken.None, counted: 2)).LagEvents);

        var stopped = await app.Http.GetAsync("/health/ready");
        var json = await stopped.ReadJsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", json.GetProperty("checks").GetProperty("projections").GetProperty("status").GetString());
        var lag = json.GetProperty("checks").GetProperty("lag");
        Assert.Equal("Degraded", lag.GetProperty("status").GetString());
        Assert.False(lag.GetProperty("data").GetProperty("upToDate").GetBoolean());
        Assert.Equal("Healthy", json.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());

        await coordinator.ResumeAsync();
        await app.CatchUpAsync();
        Assert.Equal("Healthy", (await app.GetJsonAsync("/health/ready")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task anonymous_readiness_tells_no_event_counts_or_sequence_numbers()
    {
        await app.PutClassicPipelineAsync("hc");
        await app.CatchUpAsync();
        using var anonymous = app.CreateClient(null);
        var text = await (await anonymous.GetAsync("/health/ready")).Content.ReadAsStringAsync();

        Assert.DoesNotContain("Sequence", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("lagEvents", text, StringComparison.Ordinal);
        Assert.Contains("\"upToDate\":true", text, StringComparison.Ordinal);
    }
}
