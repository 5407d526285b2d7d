using System.Diagnostics;
using Funnel.Domain.Activities;
using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections;
using Funnel.Projections.Timeline;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Faults;

/// <summary>
/// A projection that counts batch by batch and falls far behind the head (a load while it was down) writes its rows
/// alone, the counters owed, and recounts them at the head: afterwards they are what a rebuild counts.
/// </summary>
public sealed class FallingBehindTests
{
    private static readonly DateTimeOffset DemoEnd = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private const int Deals = 1_000;

    [Fact]
    public async Task a_projection_far_behind_stops_counting_and_recounts_at_the_head_what_a_rebuild_counts()
    {
        var app = new FunnelApp();
        await app.InitializeAsync();
        await DemoSeeder.SeedAsync(app.Store, Deals, DemoEnd, DemoEnd.AddHours(9), CancellationToken.None);
        await app.CatchUpAsync();
        var connectionString = app.ConnectionString;
        Assert.Equal(CounterCalendar.Version, await CalendarVersionAsync(connectionString));

        // With the daemon paused, calls logged on the demo's deals: more than a third of the store again, so that its
        // first batch is more than a quarter of the store, and far more than the 1,000 events allowed, behind the head.
        await app.Services.GetRequiredService<IProjectionCoordinator>().PauseAsync();
        var head = await ScalarAsync(connectionString, $"select max(seq_id) from {StoreTables.Events}");
        var calls = (int)(head / 3) + 4 * TimelineProjection.DefaultBatchSize;
        var dealIds = DemoHistory.Deals(Deals, DemoEnd).Select(d => d.DealId).ToList();
        await using (var session = app.Store.LightweightSession())
        {
            for (var i = 0; i < calls; i++)
            {
                var dealId = dealIds[i % dealIds.Count];
                session.Events.Append(dealId, new ActivityLogged($"late-{i}", "ann", "call", dealId, DemoHistory.PipelineId, null, null, 5, null, null, DemoEnd.AddMinutes(i % 600)));
            }

            await session.SaveChangesAsync();
        }

        await app.DisposeAsync();
        var settings = new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = connectionString, ["Funnel:Solo"] = "true", ["Funnel:RecountBehind"] = "1000" };
        await using var host = await HostProcess.StartAsync(settings);

        // It says the counters are owed while it catches up (reports read rows meanwhile) ...
        var waiting = Stopwatch.StartNew();
        while (await CalendarVersionAsync(connectionString) != CounterCalendar.Owed)
        {
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(60), "the projection never left its counters owed while far behind");
            await Task.Delay(20);
        }

        // ... and at the head they are counted again, as a rebuild counts them, to the cent.
        await ProcessFaultTests.AssertReadModelsCatchUpAndVerifyAsync(host.Http, connectionString);
        Assert.Equal(CounterCalendar.Version, await CalendarVersionAsync(connectionString));
        Assert.Equal(calls, await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{TimelineTables.Activities} where activity_id like 'late-%'"));
    }

    private static async Task<long> CalendarVersionAsync(string connectionString) =>
        await ScalarAsync(connectionString, $"select version from {StoreTables.Schema}.{TimelineTables.CounterCalendar}");

    private static Task<long> ScalarAsync(string connectionString, string sql) => RecountFaultTests.ScalarAsync(connectionString, sql);
}
