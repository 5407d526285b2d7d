using System.Net.Http.Json;
using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Funnel.Host.Tests.Dashboard;

/// <summary>On a service that requires keys, the dashboard asks for one, and shows nothing without a valid one.</summary>
public sealed class DashboardSignInTests
{
    [Fact]
    public async Task a_manager_signs_in_with_a_key_and_a_wrong_key_shows_nothing()
    {
        await using var host = await HostProcess.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = await TestPostgres.CreateDatabaseAsync() });
        (await FunnelApp.PutPipelineAsync(host.Http, "sales", ("validate", 0.1m), ("develop", 0.3m))).EnsureSuccessStatusCode();
        (await host.Http.PostAsJsonAsync("/api/deals", new { dealId = "K-1", pipelineId = "sales", name = "Keyed", owner = "ann", amount = 1000m, stage = "develop" })).EnsureSuccessStatusCode();
        var snapshot = await WaitForDealAsync(host.Http);
        var key = host.Http.DefaultRequestHeaders.Authorization!.Parameter!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = DashboardSite.Chromium, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(host.Http.BaseAddress!, "/").ToString());

        var keyField = page.GetByLabel("API key");
        await Assertions.Expect(keyField).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=funnel-table]").CountAsync());

        await keyField.FillAsync("fk_not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=funnel-table]").CountAsync());

        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var develop = page.Locator("[data-testid=funnel-table] tr[data-stage=develop] [data-field=count]");
        Assert.Equal(snapshot.GetProperty("stages")[1].GetProperty("count").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), await develop.InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardSite.Screenshots, "dashboard-signed-in.png"), FullPage = true });
    }

    /// <summary>The snapshot once the read models hold the deal (the daemon projects a moment after the write).</summary>
    private static async Task<JsonElement> WaitForDealAsync(HttpClient api)
    {
        for (var i = 0; i < 100; i++)
        {
            var snapshot = await api.GetFromJsonAsync<JsonElement>("/api/funnel/sales/snapshot");
            if (snapshot.GetProperty("stages")[1].GetProperty("count").GetInt64() == 1)
            {
                return snapshot;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The deal did not reach the read models.");
    }
}
