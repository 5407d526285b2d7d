using System.Diagnostics.Metrics;

namespace Funnel.Host.Telemetry;

/// <summary>Funnel's own metrics (meter "Funnel"), exported with ASP.NET Core's, Wolverine's and Marten's.</summary>
public sealed class FunnelMetrics
{
    public const string MeterName = "Funnel";

    public FunnelMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        KeyLookups = Meter.CreateCounter<long>("funnel.access.key_lookups", description: "API keys looked up in the store (a key found moments ago is not)");
        Refusals = Meter.CreateCounter<long>("funnel.access.refusals", description: "Calls refused for their key, scope or rate, by status and rule");
    }

    public Meter Meter { get; }

    public Counter<long> KeyLookups { get; }

    public Counter<long> Refusals { get; }
}
