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
/// indexes only reports read at its end: killed, it leaves them missing, and the next start (or rebuild) must build them
/// on emptied tables, not on the rows it left (at a million deals that timed out); and it lets
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
        var connectionString = await CaughtUpStoreAsync();
        Assert.Equal(CounterCalendar.Version, (await ProgressAsync(connectionString))!.Version);
        Assert.Equal(2, await ScalarAsync(connectionString, ReportIndexes));
        var settings = Settings(connectionString);
        await KillHalfwayAsync(settings, connectionString);

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

        // Emptied before the schema's update, the tables get their missing indexes at once, not on the rows the kill left.
        await LogIndexBuildsAsync(connectionString);
        await using var host = await HostProcess.StartAsync(settings);
        Assert.Equal(2, await ScalarAsync(connectionString, ReportIndexes));
        Assert.Equal([0], await PeriodIndexBuildsAsync(connectionString));
        await ProcessFaultTests.AssertReadModelsCatchUpAndVerifyAsync(host.Http, connectionString);
        Assert.Equal(CounterCalendar.Version, (await ProgressAsync(connectionString))!.Version);
        Assert.Equal(0, await ScalarAsync(connectionString, HeldTables));
    }

    [Fact]
    public async Task a_rebuild_killed_halfway_can_be_run_again_and_builds_the_missing_indexes_on_emptied_tables()
    {
        var connectionString = await CaughtUpStoreAsync();
        var settings = Settings(connectionString);
        await KillHalfwayAsync(settings, connectionString);
        var intervals = await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{TimelineTables.DealIntervals}");
        Assert.True(intervals > 0, "the killed rebuild wrote no intervals");

        await LogIndexBuildsAsync(connectionString);
        var (exitCode, output) = await HostProcess.RunAsync(settings, "projections", "rebuild", "--projection", TimelineProjection.ProjectionName);
        Assert.True(exitCode == 0, output);

        // The schema's update built the killed rebuild's missing index on the emptied table; the rebuild, dropping it again, on every interval.
        var rebuilt = await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{TimelineTables.DealIntervals}");
        Assert.Equal([0, rebuilt], await PeriodIndexBuildsAsync(connectionString));
        Assert.True(rebuilt > intervals, $"the rebuild wrote {rebuilt} intervals, no more than the {intervals} the killed one had");
        Assert.Equal(CounterCalendar.Version, (await ProgressAsync(connectionString))!.Version);
        Assert.Equal(await ScalarAsync(connectionString, $"select max(seq_id) from {StoreTables.Events}"), (await ProgressAsync(connectionString))!.Through);
    }

    /// <summary>Logs each index built from here on, with the rows its table held then (an event trigger: the administrator's).</summary>
    private static async Task LogIndexBuildsAsync(string connectionString)
    {
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString(connectionString));
        await admin.OpenAsync();
        await new NpgsqlCommand("""
            create table public.index_builds (n serial, index_name text, table_rows bigint);
            create function public.log_index_build() returns event_trigger language plpgsql security definer as $$
            declare c record; table_rows bigint;
            begin
                for c in select objid from pg_event_trigger_ddl_commands() where command_tag = 'CREATE INDEX' loop
                    execute format('select count(*) from %s', (select indrelid::regclass from pg_index where indexrelid = c.objid)) into table_rows;
                    insert into public.index_builds (index_name, table_rows) values ((select relname from pg_class where oid = c.objid), table_rows);
                end loop;
            end $$;
            create event trigger log_index_builds on ddl_command_end when tag in ('CREATE INDEX') execute function public.log_index_build();
            grant select on public.index_builds to public;
            """, admin).ExecuteNonQueryAsync();
    }

    /// <summary>The rows the intervals held at each build of their periods' index (a report index: a rebuild drops it) since <see cref="LogIndexBuildsAsync"/>.</summary>
    private static async Task<List<long>> PeriodIndexBuildsAsync(string connectionString)
    {
        var builds = new List<long>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var reader = await new NpgsqlCommand(
            "select table_rows from public.index_builds where index_name = 'ix_deal_intervals_open_period' order by n", connection).ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            builds.Add(reader.GetInt64(0));
        }

        return builds;
    }

    /// <summary>
    /// A store of the demo's deals, projected and counted, its service stopped: a daemon left far behind would have said
    /// the counters owed itself (FallingBehindTests).
    /// </summary>
    private static async Task<string> CaughtUpStoreAsync()
    {
        var app = new FunnelApp();
        await app.InitializeAsync();
        await DemoSeeder.SeedAsync(app.Store, Deals, DemoEnd, DemoEnd.AddHours(9), CancellationToken.None);
        await app.CatchUpAsync();
        await app.DisposeAsync();
        return app.ConnectionString;
    }

    private static Dictionary<string, string> Settings(string connectionString) =>
        new() { ["ConnectionStrings:Funnel"] = connectionString, ["Funnel:Solo"] = "true" };

    /// <summary>Starts a rebuild of the store and kills it with half the deals folded (a batch at a time, each deal whole in one) and more to go.</summary>
    private static async Task KillHalfwayAsync(IDictionary<string, string> settings, string connectionString)
    {
        var head = await ScalarAsync(connectionString, $"select max(seq_id) from {StoreTables.Events}");
        Assert.True(head > 4 * TimelineProjection.DefaultBatchSize, $"only {head} events: too few batches to kill the rebuild between two");
        await using var rebuild = HostProcess.Launch(settings, "projections", "rebuild", "--projection", TimelineProjection.ProjectionName);
        var waiting = Stopwatch.StartNew();
        while (await ScalarAsync(connectionString, $"select count(*) from {StoreTables.Schema}.{TimelineTables.DealCurrent}") is var folded && !(folded >= Deals / 2 && folded < Deals * 3 / 4))
        {
            Assert.False(rebuild.HasExited, "the rebuild ended before it could be killed between two batches");
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(120), $"the rebuild did not get between two batches: {folded} deals folded");
            await Task.Delay(20);
        }

        await rebuild.KillAsync();
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
