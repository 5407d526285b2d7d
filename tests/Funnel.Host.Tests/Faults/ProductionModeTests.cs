using System.Net;
using System.Net.Http.Json;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Faults;

/// <summary>In production the service runs on the code generated ahead of time (Internal/Generated), not on code compiled at start.</summary>
[Collection(ProcessFaultsCollection.Name)]
public sealed class ProductionModeTests(DurablePostgres postgres)
{
    [Fact]
    public async Task a_production_host_starts_on_the_pre_generated_code_and_serves_commands_and_reports()
    {
        var connection = await postgres.CreateDatabaseAsync("production");

        // Production applies no schema changes (they ship as scripts): a development start lays the schema first.
        await using (await HostProcess.StartAsync(new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = connection, ["Funnel:Solo"] = "true" }))
        {
        }

        await using var host = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Funnel"] = connection, ["Funnel:Solo"] = "true", ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
        (await host.Http.PutAsJsonAsync("/api/pipelines/prod", new { name = "Prod", stages = new[] { new { id = "a", name = "A", probability = 0.25m } } })).EnsureSuccessStatusCode();
        var captured = await host.Http.PostAsJsonAsync("/api/deals", new { dealId = "P-1", pipelineId = "prod", name = "P", owner = "ann", amount = 400m });
        Assert.Equal(HttpStatusCode.Created, captured.StatusCode);
        var quoted = await (await host.Http.PostAsJsonAsync("/api/deals/P-1/quote", new { amount = 800m })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, quoted.GetProperty("version").GetInt64());

        // 800 at the stage's 25%: 200, once the projection has it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var forecast = await (await host.Http.GetAsync("/api/funnel/prod/forecast")).ReadJsonAsync(HttpStatusCode.OK);
            if (forecast.GetProperty("weightedAmount").GetDecimal() == 200m)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the forecast never reached 200: {forecast}");
            await Task.Delay(200);
        }
    }
}
