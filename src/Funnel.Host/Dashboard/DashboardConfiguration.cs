namespace Funnel.Host.Dashboard;

/// <summary>The managers' dashboard at /: Blazor pages rendered on the server as plain HTML and SVG, reading the public API as any client.</summary>
public static class DashboardConfiguration
{
    public static void AddFunnelDashboard(this WebApplicationBuilder builder)
    {
        // Static web assets (the dashboard's stylesheet) from the build output in every environment.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpClient(nameof(DashboardApi));
        builder.Services.AddScoped<DashboardApi>();
        builder.Services.AddSingleton<FilterChoices>();
        SignInKeyRing.AddTo(builder.Services);
    }

    public static void UseFunnelDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AllowAnonymous();
        DashboardSignIn.Map(app);
    }
}
