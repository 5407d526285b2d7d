namespace Funnel.Host.Activities;

public static class ActivitiesConfiguration
{
    public static void AddFunnelActivities(this WebApplicationBuilder builder) => builder.Services.AddScoped<ActivityRecorder>();

    public static void UseFunnelActivities(this WebApplication app) => app.MapActivityRoutes();
}
