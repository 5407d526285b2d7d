using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Funnel.Host.Health;

/// <summary>How stale the read models may be before the node reports itself degraded (Funnel:Health).</summary>
public sealed class HealthLimits
{
    public const string Section = "Funnel:Health";

    public long MaxLagEvents { get; set; } = 10_000;

    public double MaxLagSeconds { get; set; } = 60;
}

public static class HealthConfiguration
{
    private const string Ready = "ready";

    public static void AddFunnelHealth(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<HealthLimits>(builder.Configuration.GetSection(HealthLimits.Section));
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresCheck>("postgres", tags: [Ready])
            .AddCheck<ProjectionDaemonCheck>("projections", tags: [Ready])
            .AddCheck<ProjectionLagCheck>("lag", tags: [Ready]);
        if (builder.Configuration.GetValue("Funnel:Health:Watchdog", true))
        {
            builder.Services.AddHostedService<ProjectionWatchdog>();
        }
    }

    /// <summary>/health/live: the process answers. /health/ready: PostgreSQL, the projection daemon and the lag, with details.</summary>
    public static void MapFunnelHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteJsonAsync }).AllowAnonymous();
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        }, JsonSerializerOptions.Web));
    }
}
