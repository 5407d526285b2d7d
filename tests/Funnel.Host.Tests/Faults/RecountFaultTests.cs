using System.Diagnostics;
using Funnel.Host.Demo;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Host.Tests.Faults;

/// <summary>
/// A rebuild leaves the counters (drawn from the deals' states and from the rows) until it reaches the head, then counts
/// them at once. Killed before that, it must leave them owed and its progress at nothing, and the next start must fold
/// every event again onto emptied tables and count them. It also builds the
/// indexes only reports read at its end: killed, it leaves them missing, and the next start must build them; and it lets
/// autovacuum back onto the tables it held it off: killed, it leaves it held, and the next start's count lets it go.
/// </summary>
public sealed class RecountFaultTests
{
    private static readonly DateTimeOffset DemoEnd = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private const int Deals = 2_000;

    // Two of the indexes a rebuild drops: the reports' index of periods (GiST) and of a rep's activities.
    private const string ReportIndexes = $"select count(*) from pg_indexes where schemaname = '{StoreTables.Schema}' and indexname in ('ix_deal_intervals_open_period', 'ix_activities_rep')";

    // The tables autovacuum is held off while a catch-up writes them in bulk (BulkWriteVacuum), the intervals' among them.
    private const string HeldTables = $"select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '{StoreTables.Schema}' and 'autovacuum_enabled=off' = any(c.reloptions)";
    private const string IntervalsHeld = $"{HeldTables} and c.relname = '{TimelineTables.DealIntervals}'";

    [Fact]
    public async Task a_rebuild_killed_before_its_count_leaves_the_counters_owed_and_the_next_start_counts_them()
    {
        var app = new FunnelApp();
        await app.InitializeAsync();
        await DemoSeeder.SeedAsync(app.Store, Deals, DemoEnd, DemoEnd.AddHours(9), CancellationToken.None);
        // Projected and counted first: a daemon left far behind would have said the counters owed itself (FallingBehindTests).
        await app.CatchUpAsync();
        var connectionString = app.ConnectionString;
        await app.DisposeAsync();
        Assert.Equal(CounterCalendar.Version, (await ProgressAsync(connectionString))!.Version);
        Assert.Equal(2, await ScalarAsync(connectionString, ReportIndexes));
        var head = await ScalarAsync(connectionString, $"select max(seq_id) from {StoreTables.Events}");
        Assert.True(head > 4 * TimelineProjection.DefaultBatchSize, $"only {head} events: too few batches to kill the rebuild between two");

        var settings = new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = connectionString, ["Funnel:Solo"] = "true" };
        await using (var rebuild = HostProcess.Launch(settings, "projections", "rebuild", "--projection", TimelineProjection.ProjectionName))
        {
            // Killed with half the deals folded (a batch at a time, each deal whole in one) and more to go.
            var waiting = Stopwatch.StartNew();
            while (await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{TimelineTables.DealCurrent}") is var folded && !(folded >= Deals / 2 && folded < Deals * 3 / 4))
            {
                Assert.False(rebuild.HasExited, "the rebuild ended before it could be killed between two batches");
                Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(120), $"the rebuild did not get between two batches: {folded} deals folded");
                await Task.Delay(20);
            }

            await rebuild.KillAsync();
        }

        // The progress moves with the last batch only: killed before it, the rebuild leaves it at nothing.
        Assert.Equal(0, (await ProgressAsync(connectionString))!.Through);

        // Rows written, the counters left empty, the calendar saying they are owed.
        foreach (var rows in new[] { TimelineTables.DealIntervals, TimelineTables.StageResidencies, TimelineTables.Activities })
        {
            Assert.True(await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{rows}") > 0, rows);
        }

        foreach (var counter in new[] { TimelineTables.StageCounts, TimelineTables.IntervalCounts, TimelineTables.DwellCounts, TimelineTables.ActivityCounts })
        {
            Assert.Equal(0, await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{counter}"));
        }

        Assert.Equal(CounterCalendar.Owed, (await ProgressAsync(connectionString))!.Version);
        Assert.Equal(0, await ScalarAsync(connectionString, ReportIndexes));
        Assert.Equal(1, await ScalarAsync(connectionString, IntervalsHeld));

        await using var host = await HostProcess.StartAsync(settings);
        Assert.Equal(2, await ScalarAsync(connectionString, ReportIndexes));
        await ProcessFaultTests.AssertReadModelsCatchUpAndVerifyAsync(host.Http, connectionString);
        Assert.Equal(CounterCalendar.Version, (await ProgressAsync(connectionString))!.Version);
        Assert.Equal(0, await ScalarAsync(connectionString, HeldTables));
    }

    private sealed record Progress(int Version, long Through);

    private static async Task<Progress?> ProgressAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            select c.version, coalesce(p.last_seq_id, 0) from {StoreTables.Schema}.{TimelineTables.CounterCalendar} c
            left join {StoreTables.EventProgression} p on p.name = '{TimelineProjection.ShardName}'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new Progress(reader.GetInt32(0), reader.GetInt64(1)) : null;
    }

    internal static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return Convert.ToInt64(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
