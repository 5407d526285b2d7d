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
    }

    public static void UseFunnelDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowAnonymous();
        app.MapPost("/sign-in", SignIn).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>Keeps the key a manager typed in an HttpOnly cookie for the dashboard's calls; the API checks it on each.</summary>
    private static IResult SignIn(HttpContext http)
    {
        var key = http.Request.HasFormContentType ? http.Request.Form["key"].ToString().Trim() : "";
        http.Response.Cookies.Append(DashboardApi.KeyCookie, key, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = key.Length == 0 ? TimeSpan.Zero : TimeSpan.FromDays(7),
        });
        return Results.Redirect("/");
    }
}
