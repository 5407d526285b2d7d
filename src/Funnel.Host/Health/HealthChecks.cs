using Funnel.Host.Storage;
using Funnel.Host.Tenancy;
using Funnel.Projections;
using Funnel.Projections.Reports;
using JasperFx;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Funnel.Host.Health;

internal static class PostgresPing
{
    /// <summary>Throws unless PostgreSQL answers a trivial query.</summary>
    public static async Task PingAsync(this NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select 1");
        await command.ExecuteScalarAsync(ct);
    }
}

/// <summary>PostgreSQL answers a query within a few seconds.</summary>
internal sealed class PostgresCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await dataSource.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy("reachable");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"unreachable: {e.GetBaseException().Message}");
        }
    }
}

/// <summary>
/// Every tenant's projection runs on this node; on a cluster (not solo) a node without them is a standby for the one that
/// has them. The first shard not running names the status.
/// </summary>
internal sealed class ProjectionDaemonCheck(IProjectionCoordinator coordinator, StorageMode mode, StartedTenants tenants) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var daemon = coordinator.DaemonForMainDatabase();
        var (shard, status) = tenants.All.Select(t => TenantStorage.ShardName(t)).Select(s => (s, daemon.StatusFor(s)))
            .OrderBy(s => s.Item2 == AgentStatus.Running).First();
        var data = new Dictionary<string, object> { ["shard"] = shard, ["status"] = status.ToString(), ["solo"] = mode.Solo };
        return Task.FromResult(status == AgentStatus.Running
            ? HealthCheckResult.Healthy("running on this node", data)
            : mode.Solo
                ? HealthCheckResult.Unhealthy($"the projection is {status.ToString().ToLowerInvariant()} on this single node", data: data)
                : HealthCheckResult.Healthy("standby: another node runs the projection", data));
    }
}

/// <summary>
/// How far the read models lag the store (the tenant lagging most); degraded past Funnel:Health's limits. Anyone may ask,
/// so it says whether they are up to date and how far behind in time, never how many events (another tenant's volume).
/// </summary>
internal sealed class ProjectionLagCheck(TenantReports reports, StartedTenants tenants, IOptions<HealthLimits> limits) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var lags = new List<Freshness>();
        foreach (var tenant in tenants.All)
        {
            lags.Add(await Freshness.ReadAsync(reports.For(tenant), cancellationToken, counted: limits.Value.MaxLagEvents + 1));
        }

        var freshness = lags.MaxBy(f => (f.LagEvents, f.LagSeconds))!;
        var data = new Dictionary<string, object>
        {
            ["upToDate"] = freshness.LagEvents == 0,
            ["lagSeconds"] = freshness.LagSeconds,
            ["maxLagEvents"] = limits.Value.MaxLagEvents,
            ["maxLagSeconds"] = limits.Value.MaxLagSeconds,
        };
        return freshness.LagEvents > limits.Value.MaxLagEvents || freshness.LagSeconds > limits.Value.MaxLagSeconds
            ? HealthCheckResult.Degraded($"the read models lag past the limits ({freshness.LagSeconds:N1} s behind)", data: data)
            : HealthCheckResult.Healthy(freshness.LagEvents == 0 ? "the read models are up to date" : $"the read models are {freshness.LagSeconds:N1} s behind", data);
    }
}

/// <summary>
/// Marten's daemon may stop a shard after a database outage and leave it stopped while the app looks healthy. On a single
/// node this restarts it once PostgreSQL answers again (on a cluster the leader election does the same).
/// </summary>
internal sealed class ProjectionWatchdog(IProjectionCoordinator coordinator, StorageMode mode, StartedTenants tenants, NpgsqlDataSource dataSource, ILogger<ProjectionWatchdog> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mode.Solo)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var daemon = coordinator.DaemonForMainDatabase();
            foreach (var shard in tenants.All.Select(TenantStorage.ShardName).Where(s => daemon.StatusFor(s) != AgentStatus.Running))
            {
                try
                {
                    await dataSource.PingAsync(stoppingToken);
                    logger.LogWarning("The projection {Shard} was not running: restarting it", shard);
                    await daemon.StartAgentAsync(shard, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The projection {Shard} could not be restarted yet: {Reason}", shard, e.GetBaseException().Message);
                }
            }
        }
    }
}
