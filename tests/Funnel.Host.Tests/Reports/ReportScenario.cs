using System.Net;
using Funnel.Host.Tests.Infrastructure;

namespace Funnel.Host.Tests.Reports;

/// <summary>
/// A small funnel whose every report number is worked out by hand in the tests (days after T0):
/// X1 (ann, 100): a@0, b@2, c@5, won@9 at 120.
/// X2 (bob, 200): a@0, c@4 (skips b), b@6 (regression), lost@10 "price".
/// X3 (ann, 300): captured into b@1, a@3 (regression), amount 350@3.5 (inside its stay in a), b@4, lost@11 "no budget" recorded last.
/// X4 (cid, 400): a@2, lost@3 "budget", reopened into a@5, reassigned to dee@6, d@8.
/// Pipeline: a 10%, b 30%, c 50%, d 80% with maxDays 10; redefined @15 with b at 60%.
/// </summary>
public static class ReportScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<FunnelApp, DateTimeOffset> Built = [];

    public static DateTimeOffset Day(double days) => T0.AddDays(days);

    /// <summary>Day <paramref name="days"/> as a query-string instant.</summary>
    public static string Iso(double days) => Day(days).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Builds the scenario once per host under pipeline <c>rp</c>; returns the recorded time just before X3's loss.</summary>
    public static async Task<DateTimeOffset> EnsureAsync(FunnelApp app)
    {
        await Gate.WaitAsync();
        try
        {
            if (!Built.TryGetValue(app, out var knownBeforeLoss))
            {
                knownBeforeLoss = await BuildAsync(app);
                Built[app] = knownBeforeLoss;
            }

            return knownBeforeLoss;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<DateTimeOffset> BuildAsync(FunnelApp app)
    {
        var http = app.Http;
        await Ok(http.PutAsync("/api/pipelines/rp", HttpAssertions.JsonText($$"""
            {"name":"Report pipeline","occurredAt":"{{Day(-1):O}}","stages":[
              {"id":"a","name":"A","probability":0.1},{"id":"b","name":"B","probability":0.3},
              {"id":"c","name":"C","probability":0.5},{"id":"d","name":"D","probability":0.8,"maxDays":10}]}
            """)));

        await Capture(http, "X1", "ann", 100, "a", 0);
        await Capture(http, "X2", "bob", 200, "a", 0);
        await Capture(http, "X3", "ann", 300, "b", 1);
        await Capture(http, "X4", "cid", 400, "a", 2);

        await Post(http, "X1", "stage", new { stage = "b", occurredAt = Day(2) });
        await Post(http, "X1", "stage", new { stage = "c", occurredAt = Day(5) });
        await Post(http, "X1", "win", new { amount = 120m, occurredAt = Day(9) });

        await Post(http, "X2", "stage", new { stage = "c", occurredAt = Day(4) });
        await Post(http, "X2", "stage", new { stage = "b", occurredAt = Day(6) });
        await Post(http, "X2", "lose", new { reason = "price", occurredAt = Day(10) });

        await Post(http, "X3", "stage", new { stage = "a", occurredAt = Day(3) });
        await Post(http, "X3", "amount", new { amount = 350m, occurredAt = Day(3.5) });
        await Post(http, "X3", "stage", new { stage = "b", occurredAt = Day(4) });

        await Post(http, "X4", "lose", new { reason = "budget", occurredAt = Day(3) });
        await Post(http, "X4", "reopen", new { stage = "a", occurredAt = Day(5) });
        await Post(http, "X4", "owner", new { owner = "dee", occurredAt = Day(6) });
        await Post(http, "X4", "stage", new { stage = "d", occurredAt = Day(8) });

        await Ok(http.PutAsync("/api/pipelines/rp", HttpAssertions.JsonText($$"""
            {"name":"Report pipeline","occurredAt":"{{Day(15):O}}","stages":[
              {"id":"a","name":"A","probability":0.1},{"id":"b","name":"B","probability":0.6},
              {"id":"c","name":"C","probability":0.5},{"id":"d","name":"D","probability":0.8,"maxDays":10}]}
            """)));

        // Everything so far is recorded by now; X3's loss, though it happened on day 11, is recorded only after.
        var knownBeforeLoss = DateTimeOffset.UtcNow;
        await Post(http, "X3", "lose", new { reason = "no budget", occurredAt = Day(11) });
        await app.CatchUpAsync();
        return knownBeforeLoss;
    }

    private static Task Capture(HttpClient http, string id, string owner, decimal amount, string stage, double day) =>
        Ok(http.PostJsonAsync("/api/deals", new { dealId = id, pipelineId = "rp", name = id, owner, team = owner == "bob" ? "west" : "east", amount, stage, occurredAt = Day(day) }));

    private static Task Post(HttpClient http, string id, string command, object body) => Ok(http.PostJsonAsync($"/api/deals/{id}/{command}", body));

    private static async Task Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

}
