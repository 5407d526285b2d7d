using Radzen;

namespace Funnel.Host.Dashboard;

/// <summary>The managers' dashboard at /: Blazor pages rendered on the server, reading the public API as any client.</summary>
public static class DashboardConfiguration
{
    public static void AddFunnelDashboard(this WebApplicationBuilder builder)
    {
        // Static web assets (the framework's script, Radzen's styles) from the build output in every environment.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddHttpClient(nameof(DashboardApi));
        builder.Services.AddScoped<DashboardApi>();
        SignInKeyRing.AddTo(builder.Services);
    }

    public static void UseFunnelDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowAnonymous();
        DashboardSignIn.Map(app);
    }
}
