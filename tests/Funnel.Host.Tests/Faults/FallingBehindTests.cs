using System.Diagnostics;
using Funnel.Domain.Access;
using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using Funnel.Host.Deals;
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
/// alone, the counters owed, sums what the batches since would have counted and adds it at the head: afterwards the
/// counters are what a rebuild counts.
/// </summary>
public sealed class FallingBehindTests
{
    private static readonly DateTimeOffset DemoEnd = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private const int Deals = 1_000;

    /// <summary>Deals whose history comes half before the projection falls behind and half after.</summary>
    private const int SplitDeals = 300;

    /// <summary>Open deals handed to another rep while the projection is behind.</summary>
    private const int Reassigned = 40;

    [Fact]
    public async Task a_projection_far_behind_stops_counting_and_at_the_head_its_counters_are_what_a_rebuild_counts()
    {
        var app = new FunnelApp();
        await app.InitializeAsync();
        await DemoSeeder.SeedAsync(app.Store, Deals, DemoEnd, DemoEnd.AddHours(9), CancellationToken.None);
        var demo = DemoHistory.Deals(Deals + SplitDeals, DemoEnd).ToList();
        var split = demo.Skip(Deals).Select(d => (d.DealId, Before: d.Events.Take((d.Events.Count + 1) / 2).ToList(), After: d.Events.Skip((d.Events.Count + 1) / 2).ToList())).ToList();
        await NewDealStreams.WriteAsync(app.Store, Tenants.Default, [.. split.Select(d => (d.DealId, (IReadOnlyList<object>)d.Before))], null, CancellationToken.None);
        await app.CatchUpAsync();
        var connectionString = app.ConnectionString;
        Assert.Equal(CounterCalendar.Version, await CalendarVersionAsync(connectionString));

        // With the daemon paused: the rest of the split deals' histories (stage changes, wins, losses, calls on deals the
        // counters already hold), some open deals handed to a new rep, and calls logged on the demo's deals: more than a
        // third of the store again, so that its first batch is more than a quarter of the store, and far more than the
        // 1,000 events allowed, behind the head.
        await app.Services.GetRequiredService<IProjectionCoordinator>().PauseAsync();
        var head = await ScalarAsync(connectionString, $"select max(seq_id) from {StoreTables.Events}");
        var calls = (int)(head / 3) + 4 * TimelineProjection.DefaultBatchSize;
        var dealIds = demo.Take(Deals).Select(d => d.DealId).ToList();
        await using (var session = app.Store.LightweightSession())
        {
            foreach (var (dealId, _, after) in split.Where(d => d.After.Count > 0))
            {
                session.Events.Append(dealId, [.. after]);
            }

            foreach (var (dealId, events) in demo.Take(Deals).Where(d => d.Events[^1] is not (DealWon or DealLost)).Take(Reassigned))
            {
                var owner = events.OfType<DealOwnerReassigned>().LastOrDefault()?.Owner ?? events.OfType<DealCaptured>().First().Owner;
                session.Events.Append(dealId, new DealOwnerReassigned(dealId, "zoe", "Zeta", "South", owner, DemoEnd.AddHours(2)));
            }

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
        Assert.Equal(Reassigned, await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{TimelineTables.DealCurrent} where owner = 'zoe'"));
    }

    private static async Task<long> CalendarVersionAsync(string connectionString) =>
        await ScalarAsync(connectionString, $"select version from {StoreTables.Schema}.{TimelineTables.CounterCalendar}");

    private static Task<long> ScalarAsync(string connectionString, string sql) => RecountFaultTests.ScalarAsync(connectionString, sql);
}
