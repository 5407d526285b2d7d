using Funnel.Host.Events;
using Funnel.Host.Tenancy;
using Funnel.Projections.Reports;

namespace Funnel.Host.Reports;

public static class ReportsConfiguration
{
    /// <summary>The reports' own connections to the caller's tenant's read models, and the event export that audits read.</summary>
    public static void AddFunnelReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TenantReports>();
        builder.Services.AddScoped(s => s.GetRequiredService<TenantReports>().For(CallerTenant.Of(s.GetRequiredService<IHttpContextAccessor>().HttpContext)));
        builder.Services.AddSingleton<EventCursors>();
        builder.Services.AddSingleton<EventExport>();
    }

    public static void UseFunnelReports(this WebApplication app)
    {
        app.MapFunnelReports();
        app.MapGetEvents();
    }
}
