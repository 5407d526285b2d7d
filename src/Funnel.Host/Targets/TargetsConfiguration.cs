namespace Funnel.Host.Targets;

public static class TargetsConfiguration
{
    public static void AddFunnelTargets(this WebApplicationBuilder builder) => builder.Services.AddSingleton(OrganisationTime.From(builder.Configuration));

    public static void UseFunnelTargets(this WebApplication app) => app.MapTargetRoutes();
}
