using System.Security.Cryptography;
using Funnel.Host.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;

namespace Funnel.Host.Dashboard;

/// <summary>
/// A manager's sign-in: the dashboard's own form posts the key, which is checked as an API call's would be before any
/// cookie is set. The cookie holds the key sealed by ASP.NET Core data protection (a ticket no one can read or forge),
/// HttpOnly, SameSite=Strict, and Secure over HTTPS (also behind a trusted TLS proxy). A cookie that cannot be opened is
/// no sign-in: the page asks for a key.
/// </summary>
public static class DashboardSignIn
{
    public const string Path = "/sign-in";

    public const string Cookie = "funnel_session";

    /// <summary>The query parameter that brings a refused sign-in's reason back to the page.</summary>
    public const string RefusedParameter = "signIn";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private const string Purpose = "Funnel.Dashboard.SignIn";

    public static void Map(WebApplication app) =>
        app.MapPost(Path, SignInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

    /// <summary>The key in the caller's sign-in cookie, or null when there is none or it cannot be opened.</summary>
    public static string? KeyOf(HttpContext caller)
    {
        if (!caller.Request.Cookies.TryGetValue(Cookie, out var sealedKey) || sealedKey.Length == 0)
        {
            return null;
        }

        try
        {
            var key = Protector(caller).Unprotect(sealedKey);
            return ApiKey.IsWellFormed(key) ? key : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, KeyCheck check, RefusalBudget budget)
    {
        // Another site's page posting here is refused twice over: by its origin, and by the form's antiforgery token it cannot read.
        if (IsCrossSite(http.Request))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "Origin", "cross-site-sign-in", "Sign in from the dashboard's own page: another site cannot sign this browser in.");
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "__RequestVerificationToken", "antiforgery", "The sign-in form has expired or did not come from the dashboard; reload the page and sign in again.");
        }

        var key = http.Request.Form["key"].ToString().Trim();
        if (key.Length == 0)
        {
            http.Response.Cookies.Delete(Cookie);
            return Results.Redirect("/");
        }

        if ((await check.CheckAsync(http, key)).Refusal is { } refusal)
        {
            budget.Spend(http);
            return Results.Redirect($"/?{RefusedParameter}={Uri.EscapeDataString(refusal.Rule)}");
        }

        http.Response.Cookies.Append(Cookie, Protector(http).Protect(key, Lifetime), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = Lifetime, Path = "/",
        });
        return Results.Redirect("/");
    }

    /// <summary>A browser says where a form came from (Origin, or at least Sec-Fetch-Site); anything but this service's own origin is refused.</summary>
    private static bool IsCrossSite(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && origin != "null")
        {
            return !Uri.TryCreate(origin, UriKind.Absolute, out var from)
                || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        }

        return origin == "null" || request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";
    }

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();
}
