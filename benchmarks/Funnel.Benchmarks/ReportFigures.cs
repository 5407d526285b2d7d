using System.Diagnostics;
using System.Net.Http.Json;
using Funnel.Domain.Access;
using Funnel.Host.Access;
using Funnel.Host.Demo;
using Funnel.Host.Storage;
using JasperFx.CommandLine;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;


namespace Funnel.Benchmarks;

/// <summary>
/// Report latency at scale: N demo deals (default 100,000) projected by the daemon, then every report timed over
/// repeated calls through the in-process HTTP pipeline.
/// </summary>
internal static class ReportFigures
{
    // Ten million events at a few thousand a second, and the count at the head: over an hour at a million deals.
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromHours(3);

    /// <summary>Loads and projects the store, then times the reports (their medians after VACUUM ANALYZE, by report) and the replay.</summary>
    /// <param name="live">Also measure the least work to keep up with the load in the same run (<see cref="LiveLimit"/>), when the store is loaded afresh.</param>
    public static async Task<IReadOnlyDictionary<string, double>> RunAsync(int deals, int calls, bool timeReports, bool replay, bool live = false)
    {
        await using var store = await LoadAsync(deals);
        return (await MeasureAsync(store, calls, timeReports, replay, live)).Medians;
    }

    /// <summary>
    /// The reports at two sizes in one run: the smaller store is loaded and timed first and its service kept running;
    /// then the larger one's timed calls alternate with the smaller one's, call by call, so that both sizes' medians
    /// come from the same minutes of this noisy machine (timed one after the other, minutes apart, growths of reports no
    /// change touched swung from 0.4 to 1.9 between runs). Returns the medians at each size from those alternate calls.
    /// </summary>
    public static async Task<(IReadOnlyDictionary<string, double> Smaller, IReadOnlyDictionary<string, double> Larger)> CompareAsync(int smaller, int larger, int calls, bool replay)
    {
        await using var small = await LoadAsync(smaller);
        await MeasureAsync(small, calls, timeReports: true, replay: false);
        await using var large = await LoadAsync(larger);
        var measured = await MeasureAsync(large, calls, timeReports: true, replay, alongside: small.Service.Http);
        return (measured.Alongside, measured.Medians);
    }

    /// <summary>Starts the kept store of <paramref name="deals"/> deals (or a new one, loaded with the demo) and waits until it is projected.</summary>
    private static async Task<LoadedStore> LoadAsync(int deals)
    {
        var end = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        // FUNNEL_BENCH_DATA keeps the loaded stores between runs (to iterate on queries), one a size; by default they are thrown away.
        var kept = BenchOptions.KeptData;
        var directory = kept is null ? Path.Combine(Path.GetTempPath(), $"funnel-bench-{Guid.NewGuid():N}"[..30]) : Path.Combine(kept, $"{deals}-deals");
        var postgres = await PrivatePostgres.StartAsync(directory, temporary: kept is null);
        var service = await StartServiceAsync(postgres.ConnectionString());
        var store = service.Services.GetRequiredService<IDocumentStore>();

        var clock = Stopwatch.StartNew();
        double? appendedSeconds = null;
        Func<IDocumentStore, Task<int>> seed = into => DemoSeeder.SeedAsync(into, deals, end, DateTimeOffset.UtcNow, CancellationToken.None);
        await using (var query = store.QuerySession())
        {
            if (await query.Events.QueryAllRawEvents().AnyAsync())
            {
                Console.WriteLine("reusing the loaded store");
            }
            else
            {
                var appended = await seed(store);
                appendedSeconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"appended {deals:N0} deals, {appended:N0} events in {appendedSeconds:F1} s ({appended / appendedSeconds:N0} events/s)");
            }
        }

        var events = await store.QuerySession().Events.QueryAllRawEvents().LongCountAsync();

        // The daemon projects while the events are appended: the rate is over the whole time, from the first append.
        await store.WaitForNonStaleProjectionDataAsync(ProjectionWait);
        var projectedSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"projected {events:N0} events {projectedSeconds:F1} s after the first append ({events / projectedSeconds:N0} events/s)");
        return new LoadedStore(postgres, service, events, appendedSeconds, projectedSeconds, seed);
    }

    /// <summary>Times the reports (alternately with the service of <paramref name="alongside"/>, when given), the footprint, freshness, replay and keeping up.</summary>
    private static async Task<(IReadOnlyDictionary<string, double> Medians, IReadOnlyDictionary<string, double> Alongside)> MeasureAsync(
        LoadedStore loaded, int calls, bool timeReports, bool replay, bool live = false, HttpClient? alongside = null)
    {
        var (http, services) = (loaded.Service.Http, loaded.Service.Services);
        var store = services.GetRequiredService<IDocumentStore>();
        var medians = timeReports ? await TimeReportsAsync(http, services, calls, alongside) : (new Dictionary<string, double>(), new Dictionary<string, double>());
        await PrintFootprintAsync(services.GetRequiredService<NpgsqlDataSource>(), loaded.Events);
        if (timeReports)
        {
            await TimeLaggingAsync(http, store, services.GetRequiredService<IProjectionCoordinator>(), calls);
        }

        if (replay)
        {
            await ReplayAsync(http, store);
        }

        if (live)
        {
            await PrintLiveAsync(loaded.Postgres.ConnectionString(), loaded.Events, loaded.AppendedSeconds, loaded.ProjectedSeconds, loaded.Seed);
        }

        return medians;
    }

    /// <summary>
    /// A service in this process (its HTTP pipeline in memory) on the store at <paramref name="connectionString"/>, with
    /// its daemon, and a client holding a key of its own (a service on a configured store requires one).
    /// </summary>
    public static async Task<BenchService> StartServiceAsync(string connectionString)
    {
        var key = await ApiKeyStore.CreateInAsync(connectionString, new CreateApiKey($"bench-{Guid.NewGuid():N}"[..20], null, [Scopes.ReportsRead, Scopes.CommandsWrite, Scopes.PipelinesAdmin], CreateApiKey.MaxRequestsPerSecond));
        JasperFxEnvironment.AutoStartHost = true;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSolutionRelativeContentRoot("src/Funnel.Host");
            host.UseSetting("ConnectionStrings:Funnel", connectionString);
            host.UseSetting("Funnel:Solo", "true");

            // The lagging figure pauses the projection: the watchdog would restart it.
            host.UseSetting("Funnel:Health:Watchdog", "false");
            host.UseSetting("Logging:LogLevel:Default", "Warning");
            host.UseEnvironment("Development");
        });
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Key);
        return new BenchService(factory, http);
    }

    /// <summary>
    /// The projection's lag at the end of the load against the least work's (<see cref="LiveLimit"/>), measured now on a
    /// second store loaded the same way: PostgreSQL writing the rows this store's projection wrote.
    /// </summary>
    private static async Task PrintLiveAsync(string connectionString, long events, double? appendedSeconds, double projectedSeconds, Func<IDocumentStore, Task<int>> seed)
    {
        if (appendedSeconds is not { } appended)
        {
            Console.WriteLine("live: the store was loaded before this run; the keeping-up figures need a load (a new FUNNEL_BENCH_DATA, or none)");
            return;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        using var rows = await TimelineRowFiles.ExportAsync(connection);
        var limit = await LiveLimit.MeasureAsync(rows, seed);
        var (funnelRate, limitRate) = (events / projectedSeconds, limit.EventsPerSecond);
        Console.WriteLine($"live: the projection ended {projectedSeconds - appended:F1} s after the last append ({funnelRate:N0} events/s from the first append); " +
            $"PostgreSQL alone writing its {rows.Rows:N0} rows by COPY while the same demo was appended again ({limit.Events:N0} events in {limit.AppendedSeconds:F1} s) " +
            $"ended {limit.LagSeconds:F1} s after the last append ({limitRate:N0} events/s); ratio {funnelRate / limitRate:F2}");
    }

    /// <summary>The medians at two sizes side by side, and how much each grew from the smaller to the larger.</summary>
    public static void PrintGrowth(int smaller, IReadOnlyDictionary<string, double> atSmaller, int larger, IReadOnlyDictionary<string, double> atLarger)
    {
        Console.WriteLine($"| report | median ms at {smaller:N0} deals | median ms at {larger:N0} deals | growth |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (report, median) in atLarger)
        {
            Console.WriteLine($"| `{report}` | {atSmaller[report]:F1} | {median:F1} | {median / atSmaller[report]:F2}x |");
        }
    }

    /// <summary>
    /// Every report of the README, timed as loaded and again after VACUUM ANALYZE (whose medians it gives), those calls
    /// alternating with the same report's on <paramref name="alongside"/> when given (whose medians it gives too).
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, double> Medians, IReadOnlyDictionary<string, double> Alongside)> TimeReportsAsync(
        HttpClient http, IServiceProvider services, int calls, HttpClient? alongside)
    {
        string[] reports =
        [
            "/api/funnel/sales/conversion",
            "/api/funnel/sales/conversion?within=30d&owner=Ada%20Park",
            "/api/funnel/sales/conversion?from=2026-06-01&to=2026-07-01",
            "/api/funnel/sales/dwell",
            "/api/funnel/sales/dwell?owner=Ada%20Park",
            "/api/funnel/sales/dwell?team=Enterprise",
            "/api/funnel/sales/forecast?groupBy=owner",
            "/api/funnel/sales/forecast?asOf=2026-05-01&probabilities=current",
            "/api/funnel/sales/snapshot",
            "/api/funnel/sales/snapshot?asOf=2026-05-01",
            "/api/funnel/sales/snapshot?asOf=2026-05-01&knownAt=2026-01-01",
            "/api/funnel/sales/velocity?from=2026-01-01",
            "/api/funnel/sales/losses",
            "/api/funnel/sales/stalled",
            "/api/funnel/sales/changes",
            "/api/funnel/sales/calibration",
            "/api/funnel/sales/snapshot?asOf=2026-05-01&probabilities=observed",
            "/api/funnel/sales/handovers",
            "/api/funnel/sales/attainment?period=2026-Q3&asOf=2026-08-15",
            "/api/funnel/sales/activity?from=2026-10-01&to=2026-11-01&groupBy=rep,day",
            "/api/funnel/sales/days-without-record?firstDay=2026-10-01&lastDay=2026-10-31",
            "/api/funnel/sales/untouched",
            "/api/funnel/sales/untouched?asOf=2026-05-01",
            "/api/funnel/sales/effort",
            "/api/reps/Ada%20Park/diary?date=2026-10-15",
            "/api/deals?pipelineId=sales&status=open&pageSize=50",
            "/api/deals/demo-04242?asOf=2026-05-01",
            // A past instant months back (far more changes since than the counters put right), a busy month's changes,
            // the team filter at a past instant and a deep page: the dashboard asks these of any day a manager picks.
            "/api/funnel/sales/dwell?asOf=2026-05-01",
            "/api/funnel/sales/stalled?asOf=2026-05-01",
            "/api/funnel/sales/stalled?page=200&pageSize=50",
            "/api/funnel/sales/changes?since=2026-04-01&until=2026-05-01",
            "/api/funnel/sales/untouched?asOf=2026-05-01&team=Enterprise",
            "/api/funnel/sales/activity?from=2026-04-01&to=2026-05-01&groupBy=rep,day&team=Enterprise",
            "/api/deals?pipelineId=sales&status=open&pageSize=50&page=200",
            // A deep page of the other lists, within the list at both sizes (at 100,000 deals 1,765 deals were untouched
            // on 2026-05-01: its 200th page lies past the end there, and costs nothing).
            "/api/funnel/sales/untouched?page=200",
            "/api/funnel/sales/untouched?asOf=2026-05-01&page=30",
            "/api/funnel/sales/handovers?page=20",
            "/api/funnel/sales/changes?since=2026-04-01&until=2026-05-01&page=200",
            // Instants inside a day, as an API caller may ask them (the dashboard asks midnights): the counters at the
            // nearer midnight put right by the changes between, where a report does so; the others read rows.
            "/api/funnel/sales/conversion?asOf=2026-05-01T15:30:00Z",
            "/api/funnel/sales/effort?asOf=2026-05-01T15:30:00Z",
            "/api/funnel/sales/snapshot?asOf=2026-05-01T15:30:00Z&probabilities=observed",
            "/api/funnel/sales/activity?from=2026-04-01T12:00:00Z&to=2026-05-01T12:00:00Z&groupBy=rep,day&team=Enterprise",
            "/api/funnel/sales/dwell?asOf=2026-05-01T15:30:00Z",
            "/api/funnel/sales/stalled?asOf=2026-05-01T15:30:00Z",
            "/api/funnel/sales/untouched?asOf=2026-05-01T15:30:00Z",
            "/api/funnel/sales/changes?since=2026-04-24T15:30:00Z&until=2026-05-01T15:30:00Z",
        ];

        // Right after a bulk projection PostgreSQL has not yet vacuumed (index-only reads still visit the heap); autovacuum
        // does within minutes. Both are shown: as loaded, then after VACUUM ANALYZE.
        var loaded = new Dictionary<string, double>();
        foreach (var report in reports)
        {
            loaded[report] = (await TimeAsync(http, report, calls))[calls / 2];
        }

        await using (var vacuum = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("vacuum analyze"))
        {
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync();
        }

        var (medians, besideMedians) = (new Dictionary<string, double>(), new Dictionary<string, double>());
        Console.WriteLine("| report | median ms as loaded | median ms | p95 ms | max ms |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var report in reports)
        {
            var (times, beside) = alongside is null ? (await TimeAsync(http, report, calls), new List<double>()) : await TimeAlternatelyAsync(http, alongside, report, calls);
            medians[report] = times[calls / 2];
            if (beside.Count > 0)
            {
                besideMedians[report] = beside[calls / 2];
            }

            Console.WriteLine($"| `{report}` | {loaded[report]:F1} | {times[calls / 2]:F1} | {times[(int)(calls * 0.95)]:F1} | {times[^1]:F1} |");
        }

        return (medians, besideMedians);
    }

    /// <summary>Three warm-up calls on each, then <paramref name="calls"/> timed ones on each, one here, one there; each sorted.</summary>
    private static async Task<(List<double> Here, List<double> There)> TimeAlternatelyAsync(HttpClient here, HttpClient there, string report, int calls)
    {
        await TimeAsync(here, report, 0);
        await TimeAsync(there, report, 0);
        var (hereTimes, thereTimes) = (new List<double>(), new List<double>());
        for (var i = 0; i < calls; i++)
        {
            hereTimes.Add((await TimeAsync(here, report, 1, warmUp: 0))[0]);
            thereTimes.Add((await TimeAsync(there, report, 1, warmUp: 0))[0]);
        }

        hereTimes.Sort();
        thereTimes.Sort();
        return (hereTimes, thereTimes);
    }

    /// <summary>
    /// The snapshot at a past instant against the same question answered by replay: every deal's stream read and folded
    /// to that business time, as a consumer without read models would. The two answers must agree.
    /// </summary>
    private static async Task ReplayAsync(HttpClient http, IDocumentStore store)
    {
        const string asOf = "2026-05-01";
        var instant = DateTimeOffset.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture);
        var snapshotTimes = await TimeAsync(http, $"/api/funnel/sales/snapshot?asOf={asOf}", 5);
        var snapshot = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"/api/funnel/sales/snapshot?asOf={asOf}")).RootElement;

        var watch = Stopwatch.StartNew();
        await using var session = store.QuerySession();
        var ids = await session.Query<Funnel.Domain.Deals.Deal>().Where(d => d.PipelineId == "sales").Select(d => d.Id).ToListAsync();
        var open = new Dictionary<string, long>();
        foreach (var id in ids)
        {
            var events = await session.Events.FetchStreamAsync(id);
            var deal = Funnel.Domain.Deals.Deal.Fold(events.Select(e => e.Data).OfType<Funnel.Domain.Deals.IDealEvent>().Where(e => e.OccurredAt <= instant));
            if (deal is { Status: Funnel.Domain.Deals.DealStatus.Open })
            {
                open[deal.Stage] = open.GetValueOrDefault(deal.Stage) + 1;
            }
        }

        var replayMs = watch.Elapsed.TotalMilliseconds;
        var agree = snapshot.GetProperty("stages").EnumerateArray().All(s => s.GetProperty("count").GetInt64() == open.GetValueOrDefault(s.GetProperty("stage").GetString()!));
        Console.WriteLine($"snapshot?asOf={asOf}: median {snapshotTimes[2]:F1} ms; the same by replaying {ids.Count:N0} deals' streams: {replayMs / 1000:F1} s " +
            $"({replayMs / snapshotTimes[2]:N0}x slower; goal: at least 100x); open deals per stage {(agree ? "agree" : "DISAGREE")}");
    }

    /// <summary>
    /// What a report's freshness costs when the read models lag (a bulk import, an outage, a rebuild): the counter-backed
    /// losses report timed up to date, then with the projection paused and <see cref="Behind"/> captures appended.
    /// </summary>
    private static async Task TimeLaggingAsync(HttpClient http, IDocumentStore store, IProjectionCoordinator coordinator, int calls)
    {
        const string report = "/api/funnel/sales/losses";
        var upToDate = await TimeAsync(http, report, calls);
        await coordinator.PauseAsync();

        // The captures go to a pipeline of their own, so a kept store's `sales` reports stay those of the demo.
        var stages = new[] { new { id = "lead", name = "Lead", probability = 0.1 } };
        (await http.PutAsJsonAsync($"/api/pipelines/{LagPipeline}", new { name = "Lag", stages })).EnsureSuccessStatusCode();
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var batch = 0; batch < Behind / 1000; batch++)
        {
            var captures = Enumerable.Range(batch * 1000, 1000).Select(n => new { type = "capture", dealId = $"lag-{run}-{n}", pipelineId = LagPipeline, name = "Lag", owner = "Ada Park", amount = 1000 });
            (await http.PostAsJsonAsync("/api/commands", captures)).EnsureSuccessStatusCode();
        }

        var lagging = await TimeAsync(http, report, calls);
        var lag = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>(report)).GetProperty("freshness").GetProperty("lagEvents").GetInt64();
        await coordinator.ResumeAsync();
        await store.WaitForNonStaleProjectionDataAsync(ProjectionWait);
        Console.WriteLine($"`{report}` up to date: median {upToDate[calls / 2]:F1} ms; with the projection {Behind:N0} events behind: median {lagging[calls / 2]:F1} ms " +
            $"(p95 {lagging[(int)(calls * 0.95)]:F1} ms; its freshness says lagEvents {lag:N0})");
    }

    private const int Behind = 100_000;

    private const string LagPipeline = "bench-lag";

    /// <summary>The store's tables and indexes on disk per event (Marten's mt_ tables, the read models), and this process's peak memory.</summary>
    private static async Task PrintFootprintAsync(NpgsqlDataSource data, long events)
    {
        await using var size = data.CreateCommand($"""
            select coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname like 'mt\_%'), 0)::bigint,
                   coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname not like 'mt\_%'), 0)::bigint
            from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '{Funnel.Projections.StoreTables.Schema}' and c.relkind = 'r'
            """);
        await using var reader = await size.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (store, models) = (reader.GetInt64(0), reader.GetInt64(1));
        Console.WriteLine($"on disk: {(store + models) / 1e6:N0} MB for {events:N0} events, {(store + models) / (double)events:N0} bytes/event " +
            $"(events and documents {store / (double)events:N0}, read models {models / (double)events:N0}); " +
            $"peak RSS of the process that loaded, projected and served them: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:N0} MB");
    }

    /// <summary>Three warm-up calls (or <paramref name="warmUp"/>), then <paramref name="calls"/> timed ones, sorted.</summary>
    private static async Task<List<double>> TimeAsync(HttpClient http, string report, int calls, int warmUp = 3)
    {
        for (var i = 0; i < warmUp; i++)
        {
            (await http.GetAsync(report)).EnsureSuccessStatusCode();
        }

        var times = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var watch = Stopwatch.StartNew();
            (await http.GetAsync(report)).EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times;
    }
}
