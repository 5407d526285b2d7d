using System.Diagnostics;
using Funnel.Domain.Access;
using Funnel.Host.Access;
using Funnel.Host.Storage;
using Microsoft.Playwright;

namespace Funnel.Benchmarks;

/// <summary>
/// The managers' page on a loaded store (the report benchmark's, kept with FUNNEL_BENCH_DATA), as a browser sees it: the
/// service in its own process, a real Chromium signed in with a key. Server time is the page's HTML (every panel is
/// drawn on the server); settled is the page's load event (every stylesheet in, and no script fetches after it); a slider
/// move is one day back. Both on the browser's own clock (Navigation Timing), as a manager would feel them; the harness's
/// own wait for the slider is printed beside it, and is longer by Playwright's round trips to the browser. Not
/// Playwright's NetworkIdle: it returns only after 500 ms without a request, which it would add to every figure.
/// </summary>
internal static class DashboardFigures
{
    /// <summary>Debian's Chromium, which the test run installs too (Playwright's own download cannot work here).</summary>
    private const string Chromium = "/usr/bin/chromium";

    public static async Task RunAsync(int deals, int calls)
    {
        await using var postgres = await PrivatePostgres.StartAsync(BenchOptions.KeptStore(deals), temporary: false);
        var key = await ApiKeyStore.CreateInAsync(postgres.ConnectionString(), new CreateApiKey($"dash-{Guid.NewGuid():N}"[..20], null, [Scopes.ReportsRead], CreateApiKey.MaxRequestsPerSecond));
        await using var service = await ServiceUnderTest.StartAsync(postgres.ConnectionString());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1400 } });
        // Far from its goal a page can take longer than Playwright's 30 s default: measure it rather than stop.
        page.SetDefaultTimeout(600_000);
        await page.GotoAsync(new Uri(service.Address, "/").ToString());
        await page.GetByLabel("API key").FillAsync(key.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("[data-testid=funnel-table]").WaitForAsync();

        // The HTML as the server sends it, with the browser's sign-in cookie.
        using var http = new HttpClient { BaseAddress = service.Address };
        http.DefaultRequestHeaders.Add("Cookie", string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}")));
        var server = await TimeAsync(calls, async () => (await http.GetAsync("/")).EnsureSuccessStatusCode());
        var settled = await TimeAsync(calls, async () =>
        {
            await page.GotoAsync(new Uri(service.Address, "/").ToString(), new() { WaitUntil = WaitUntilState.Load });
            return await page.EvaluateAsync<double>(LoadedSinceNavigation);
        });
        var (slider, sliderHarness, phases) = await SliderAsync(page, new Uri(service.Address, "/"), calls);
        var sliderDay = new Uri(page.Url).PathAndQuery;
        var serverThen = await TimeAsync(calls, async () => (await http.GetAsync(sliderDay)).EnsureSuccessStatusCode());
        var serverPast = await TimeAsync(calls, async () => (await http.GetAsync(PastView)).EnsureSuccessStatusCode());
        var (sliderPast, _, _) = await SliderAsync(page, new Uri(service.Address, PastView), calls);

        Console.WriteLine($"| dashboard at {deals:N0} deals | median ms | p95 ms | goal |");
        Console.WriteLine("|---|---|---|---|");
        Row("`/` server time (the HTML, every panel)", server, "< 500");
        Row("`/` settled in Chromium (navigation to load event, the browser's clock)", settled, "< 1,000");
        Row("the time slider one day back, settled (its change to the new page's load event, the browser's clock)", slider, "< 300");
        Row("the same as the harness waits for it (Playwright's round trips to the browser included)", sliderHarness, "");
        Row($"`{sliderDay}` server time (the day the slider moved to)", serverThen, "");
        Row($"`{PastView}` server time (a day months back, one team)", serverPast, "< 500");
        Row("the time slider one day back from there, settled", sliderPast, "< 300");
        void Row(string figure, List<double> times, string goal) =>
            Console.WriteLine($"| {figure} | {times[calls / 2]:F0} | {times[(int)(calls * 0.95)]:F0} | {goal} |");
        string Phase(int i) => $"{phases.Select(p => p[i]).Order().ElementAt(phases.Count / 2):F0}";
        Console.WriteLine($"| where the slider's time goes (medians, ms from its change): request sent {Phase(0)}, first byte {Phase(1)}, last byte {Phase(2)}, parsed {Phase(3)}, loaded {Phase(4)} | | | |");
    }

    /// <summary>A day months back with one team chosen: far more has changed since than the counters put right by reading the changes.</summary>
    private const string PastView = "/?asOf=2026-05-01&team=Enterprise";

    /// <summary>
    /// <paramref name="calls"/> moves of the time slider one day back from the view at <paramref name="view"/>: each settled
    /// on the browser's clock, as the harness waited for it, and its phases (<see cref="SliderPhases"/>).
    /// </summary>
    private static async Task<(List<double> Settled, List<double> Harness, List<double[]> Phases)> SliderAsync(IPage page, Uri view, int calls)
    {
        var (harness, phases) = (new List<double>(), new List<double[]>());
        var settled = await TimeAsync(calls, async () =>
        {
            await page.GotoAsync(view.ToString(), new() { WaitUntil = WaitUntilState.Load });
            var from = page.Url;
            var moved = Stopwatch.StartNew();
            await page.Locator("[data-testid=time-slider]").EvaluateAsync(
                "s => { sessionStorage.setItem('moved', String(performance.timeOrigin + performance.now())); s.value = Number(s.value) - 1; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }");
            await page.WaitForURLAsync(url => url != from && url.Contains("asOf=", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Load });
            harness.Add(moved.Elapsed.TotalMilliseconds);
            phases.Add(await page.EvaluateAsync<double[]>(SliderPhases));
            return phases[^1][^1];
        });
        harness.Sort();
        return (settled, harness, phases);
    }

    /// <summary>In the page: from its navigation's start to the end of its load event (ms).</summary>
    private const string LoadedSinceNavigation = "() => performance.getEntriesByType('navigation')[0].loadEventEnd";

    /// <summary>
    /// In the page the slider led to, each from the slider's change (noted in the page before), in ms: its request sent,
    /// its first and last byte, its document parsed, and its load event's end (the figure).
    /// </summary>
    private const string SliderPhases =
        "() => { const n = performance.getEntriesByType('navigation')[0], since = Number(sessionStorage.getItem('moved')) - performance.timeOrigin; " +
        "return [n.requestStart, n.responseStart, n.responseEnd, n.domInteractive, n.loadEventEnd].map(t => t - since); }";

    /// <summary>One warm-up, then <paramref name="calls"/> timed runs of <paramref name="action"/>, sorted (ms).</summary>
    private static async Task<List<double>> TimeAsync(int calls, Func<Task> action) =>
        await TimeAsync(calls, async () =>
        {
            var watch = Stopwatch.StartNew();
            await action();
            return watch.Elapsed.TotalMilliseconds;
        });

    private static async Task<List<double>> TimeAsync(int calls, Func<Task<double>> timed)
    {
        await timed();
        var times = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            times.Add(await timed());
        }

        times.Sort();
        return times;
    }
}
