using System.Diagnostics.Metrics;
using System.Net;
using Funnel.Domain.Access;
using Funnel.Host.Telemetry;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Access;

/// <summary>A service whose addresses may cause five refusals, and one more a second.</summary>
public sealed class FloodedApp : FunnelApp
{
    public const int Burst = 5;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Funnel:Auth:RefusalBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Funnel:Auth:RefusalsPerSecond"] = "1",
        ["Funnel:Auth:RefusalLogSeconds"] = "10",
    };
}

/// <summary>
/// A flood of calls without a valid key, as an attacker sends it: refused per address before any key is looked up, a
/// malformed key never looked up at all, a line per kind of refusal instead of one per call; and a key's own rate
/// counts the calls refused for its scope.
/// </summary>
public sealed class RefusalFloodTests(FloodedApp app) : IClassFixture<FloodedApp>
{
    [Fact]
    public async Task made_up_keys_from_one_address_cost_lookups_only_until_its_refusals_are_spent()
    {
        using var lookups = new Measured(app, "funnel.access.key_lookups");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++)
        {
            using var attacker = app.CreateClient(MadeUpKey(i));
            answers.Add(await attacker.GetAsync("/api/funnel/sales/conversion"));
        }

        // Five refusals at once, then about one a second (the loop takes well under the 35 s 35 more would need).
        var unauthorized = answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized);
        Assert.InRange(unauthorized, FloodedApp.Burst, FloodedApp.Burst + 10);
        Assert.Equal(40 - unauthorized, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(unauthorized, lookups.Total);

        var refused = answers.Last(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "Authorization", "too-many-refusals");
        Assert.NotNull(refused.Headers.RetryAfter);

        // A caller whose key this service has seen is still served from the same address.
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/api/keys")).StatusCode);
    }

    [Fact]
    public async Task a_malformed_key_is_refused_without_a_lookup()
    {
        using var lookups = new Measured(app, "funnel.access.key_lookups");
        using var client = app.CreateClient("fk_short");

        var response = await client.GetAsync("/api/funnel/sales/conversion");

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "Authorization", "malformed-key");
        }

        Assert.Equal(0, lookups.Total);
    }

    [Fact]
    public async Task a_flood_of_refusals_writes_a_line_per_kind_not_per_call()
    {
        var before = app.Logs.Entries.Count;
        for (var i = 0; i < 60; i++)
        {
            using var attacker = app.CreateClient(MadeUpKey(1000 + i));
            await attacker.GetAsync("/api/funnel/sales/dwell");
        }

        // The kinds: 401 unknown-key and 429 too-many-refusals on this route (the other tests' calls took another), and a
        // second line of either if the window of 10 s ended during the loop.
        var lines = app.Logs.Entries.Skip(before).Where(e => e.Category == "Funnel.Host.Access.AccessLog" && e.Message.Contains("/dwell", StringComparison.Ordinal)).ToList();
        Assert.InRange(lines.Count, 1, 4);
    }

    [Fact]
    public async Task calls_refused_for_a_scope_spend_the_keys_requests()
    {
        var reader = await Host.Access.ApiKeyStore.CreateInAsync(app.ConnectionString, new CreateApiKey("slow-reader", null, [Scopes.ReportsRead], 2));
        using var client = app.CreateClient(reader.Key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await client.PutAsync("/api/pipelines/sales", JsonContent("{}"))).StatusCode);
        }

        // Two tokens at once; eight forbidden calls in well under a second must run out of them.
        Assert.Contains(HttpStatusCode.Forbidden, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    private static StringContent JsonContent(string text) => HttpAssertions.JsonText(text);

    /// <summary>A value of a key's shape that no key has.</summary>
    private static string MadeUpKey(int i) => "fk_" + i.ToString("D43", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What one of this host's counters counted while it was alive (other hosts of the test run have meters of their own).</summary>
    private sealed class Measured : IDisposable
    {
        private readonly MeterListener listener = new();
        private long total;

        public Measured(FunnelApp app, string instrument)
        {
            var meter = app.Services.GetRequiredService<FunnelMetrics>().Meter;
            listener.InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, meter) && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref total, value));
            listener.Start();
        }

        public long Total => Interlocked.Read(ref total);

        public void Dispose() => listener.Dispose();
    }
}
