using Funnel.Host.Events;
using Funnel.Host.Storage;
using Funnel.Projections.Reports;

namespace Funnel.Host.Reports;

public static class ReportsConfiguration
{
    /// <summary>The reports' own connections to the read models, and the event export that audits read.</summary>
    public static void AddFunnelReports(this WebApplicationBuilder builder, StorageMode storage)
    {
        builder.Services.AddSingleton(ReportDatabase.Connect(storage.ConnectionString));
        builder.Services.AddSingleton<EventExport>();
    }

    public static void UseFunnelReports(this WebApplication app) => app.MapFunnelReports();
}
