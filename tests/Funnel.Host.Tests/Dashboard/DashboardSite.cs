using System.Net.Http.Json;
using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Funnel.Host.Tests.Dashboard;

/// <summary>
/// The service as a manager first meets it: its own process on its private store, seeded with the demo, and a real
/// Chromium (Debian's, which .ci/run installs; Playwright's own download cannot work here) to look at it.
/// </summary>
public sealed class DashboardSite : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private const int DemoDeals = 1000;

    // A page answers in about a second here, but the whole test run shares two cores with it: when every fixture starts
    // at once a navigation once took more than Playwright's 30 s default. Speed is the benchmark's to measure, not these tests'.
    private const float PageTimeoutMs = 120_000;

    private readonly string directory = Path.Combine(Path.GetTempPath(), $"funnel-dash-{Guid.NewGuid():N}"[..28]);
    private HostProcess? host;
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = default!;

    public HttpClient Api => host!.Http;

    public Uri Address => host!.Http.BaseAddress!;

    /// <summary>Where the browser tests leave their screenshots (the test run's artefacts).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: .ci/run installs it (apt-get install chromium).");
        host = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Funnel:DataDirectory"] = directory,
            ["Funnel:Demo:Seed"] = "true",
            ["Funnel:Demo:Deals"] = DemoDeals.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await WaitForDemoAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task<IPage> OpenAsync(string path, int width = 1400)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 1400 } });
        page.SetDefaultTimeout(PageTimeoutMs);
        await page.GotoAsync(new Uri(Address, path).ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The demo is in when its last deal is, and the read models hold every event.</summary>
    private async Task WaitForDemoAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if ((await Api.GetAsync($"/api/deals/demo-{DemoDeals:D5}")).IsSuccessStatusCode)
            {
                var freshness = (await Api.GetFromJsonAsync<JsonElement>("/api/funnel/sales/losses")).GetProperty("freshness");
                if (freshness.GetProperty("lagEvents").GetInt64() == 0)
                {
                    return;
                }
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("The demo was not loaded and projected within 3 minutes.");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardSite>
{
    public const string Name = "dashboard";
}
