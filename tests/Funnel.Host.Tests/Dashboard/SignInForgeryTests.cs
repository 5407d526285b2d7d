using System.Net;
using System.Text.RegularExpressions;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Dashboard;

/// <summary>One keyed service for the sign-in tests: a real Kestrel, as a browser reaches it.</summary>
public sealed class KeyedHost : IAsyncLifetime
{
    public HostProcess Host { get; private set; } = null!;

    public string Key => Host.Http.DefaultRequestHeaders.Authorization!.Parameter!;

    public async Task InitializeAsync() =>
        Host = await HostProcess.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = await TestPostgres.CreateDatabaseAsync() });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The dashboard's sign-in as an attacker would try it: from another site, without the page's form, with keys that are
/// not keys, and with cookies of their own making. Only the dashboard's own form with a live key signs a browser in.
/// </summary>
public sealed partial class SignInForgeryTests(KeyedHost keyed) : IClassFixture<KeyedHost>
{
    private const string SessionCookie = "funnel_session";

    [Fact]
    public async Task another_site_cannot_sign_a_browser_in_even_with_a_live_key()
    {
        using var browser = Browser();
        var form = await SignInFormAsync(browser);
        var response = await PostAsync(browser, form with { Key = keyed.Key }, origin: "https://attacker.example");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "Origin", "cross-site-sign-in");
        Assert.Null(CookieOf(response));
    }

    [Fact]
    public async Task a_post_without_the_dashboards_form_token_sets_no_cookie()
    {
        using var browser = Browser();
        var response = await PostAsync(browser, new SignInForm(Token: "", Key: keyed.Key), origin: Origin);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "__RequestVerificationToken", "antiforgery");
        Assert.Null(CookieOf(response));
    }

    [Theory]
    [InlineData("fk_not-a-key", "malformed-key")]
    [InlineData("fk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "unknown-key")]
    public async Task a_key_that_is_not_live_sets_no_cookie_and_the_page_says_why(string key, string rule)
    {
        using var browser = Browser();
        var response = await PostAsync(browser, (await SignInFormAsync(browser)) with { Key = key }, origin: Origin);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/?signIn={rule}", response.Headers.Location!.OriginalString);
        Assert.Null(CookieOf(response));
        var page = await (await browser.GetAsync(response.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Assert.Contains($"That key was not accepted ({rule})", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_live_key_signs_in_with_a_sealed_ticket_never_the_key_itself()
    {
        using var browser = Browser();
        var response = await PostAsync(browser, (await SignInFormAsync(browser)) with { Key = keyed.Key }, origin: Origin);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = CookieOf(response);
        Assert.NotNull(cookie);
        Assert.DoesNotContain(keyed.Key, Uri.UnescapeDataString(cookie), StringComparison.Ordinal);
        Assert.Contains("httponly", response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionCookie, StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);

        var page = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("aria-label=\"API key\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_key_holding_a_line_break_never_makes_the_page_fail()
    {
        using var browser = Browser();
        await PostAsync(browser, (await SignInFormAsync(browser)) with { Key = keyed.Key[..10] + "\r\nX-Injected: 1" }, origin: Origin);

        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("aria-label=\"API key\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage%0D%0Ainjected")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task a_cookie_that_cannot_be_opened_is_signed_out_not_an_error(string value)
    {
        using var browser = Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"{SessionCookie}={value}");

        var page = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("aria-label=\"API key\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task behind_a_tls_proxy_the_cookie_is_secure()
    {
        using var browser = Browser();
        var form = await SignInFormAsync(browser);
        using var request = Post(form with { Key = keyed.Key }, Origin);
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await browser.SendAsync(request);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionCookie, StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private string Origin => keyed.Host.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

    /// <summary>A client that keeps cookies like a browser and does not follow redirects (their target is asserted).</summary>
    private HttpClient Browser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = keyed.Host.Http.BaseAddress };

    /// <summary>The sign-in form as the dashboard renders it for a browser without a key: its antiforgery token.</summary>
    private static async Task<SignInForm> SignInFormAsync(HttpClient browser)
    {
        var page = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();
        var token = FormToken().Match(page);
        Assert.True(token.Success, "The sign-in form carries an antiforgery token.");
        return new SignInForm(WebUtility.HtmlDecode(token.Groups[1].Value), "");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, SignInForm form, string origin)
    {
        using var request = Post(form, origin);
        return await browser.SendAsync(request);
    }

    private static HttpRequestMessage Post(SignInForm form, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = form.Token, ["key"] = form.Key }),
        };
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static string? CookieOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal)).Select(c => c.Split(';')[0][(SessionCookie.Length + 1)..]).FirstOrDefault(v => v.Length > 0)
            : null;

    private sealed record SignInForm(string Token, string Key);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
