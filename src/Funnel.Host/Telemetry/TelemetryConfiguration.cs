using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Funnel.Host.Telemetry;

public static class TelemetryConfiguration
{
    /// <summary>Traces and metrics from ASP.NET Core, Wolverine, Marten and Npgsql; exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static void AddFunnelTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FunnelMetrics>();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("funnel"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource("Wolverine", "Marten").AddNpgsql())
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter("Wolverine", "Marten", FunnelMetrics.MeterName));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
    }
}
