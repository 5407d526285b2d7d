namespace Funnel.Host.Reps;

public static class RepsConfiguration
{
    public static void AddFunnelReps(this WebApplicationBuilder builder) => builder.Services.AddScoped<HandoverRunner>();

    public static void UseFunnelReps(this WebApplication app) => app.MapRepRoutes();
}
