using System.Globalization;
using Funnel.Domain;
using Funnel.Domain.Access;
using Funnel.Domain.Targets;
using Funnel.Host.Demo;
using Funnel.Host.Tenancy;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Reports;
using Funnel.Projections.Timeline;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Reports;

/// <summary>An organisation in Berlin: its counters' days begin at Berlin's midnights, an hour or two before UTC's.</summary>
public sealed class BerlinApp : FunnelApp
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Funnel:TimeZone"] = Berlin.Id };
}

/// <summary>
/// Each dated counter against the row-scanning query it replaces, on 600 demo deals (late-recorded events, a rep's
/// handover) and the hand-made scenario (a reopened deal, a reassignment, a redefined pipeline, a loss recorded last):
/// the same answer, to the cent, at midnights and at instants inside a day, with and without filters.
/// </summary>
public sealed partial class DatedCounterTests(BerlinApp app) : IClassFixture<BerlinApp>, IAsyncLifetime
{
    private static readonly DateTimeOffset DemoEnd = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool seeded;

    private ReportDatabase Db => app.Services.GetRequiredService<TenantReports>().For(Tenants.Default);

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!seeded)
            {
                await DemoSeeder.SeedAsync(app.Store, 600, DemoEnd, DemoEnd.AddHours(9), CancellationToken.None);
                seeded = true;
            }

            await ReportScenario.EnsureAsync(app);
            await app.CatchUpAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task the_counters_are_cut_in_the_organisations_zone_from_the_first_event()
    {
        Assert.True(await Db.CountedInAsync(BerlinApp.Berlin, CancellationToken.None));
        Assert.False(await Db.CountedInAsync(TimeZoneInfo.Utc, CancellationToken.None));

        // Counted from a later event (a store upgraded to the counters), by another version, or in two zones: rows answer.
        foreach (var change in new[] { "counted_from = counted_from + 1", $"version = {CounterCalendar.Version + 1}", "zone = ''" })
        {
            await ExecuteAsync($"update funnel.counter_calendar set {change}");
            Assert.False(await Db.CountedInAsync(BerlinApp.Berlin, CancellationToken.None), change);
            await ExecuteAsync($"update funnel.counter_calendar set counted_from = (select min(seq_id) from funnel.mt_events), version = {CounterCalendar.Version}, zone = '{BerlinApp.Berlin.Id}'");
            Assert.True(await Db.CountedInAsync(BerlinApp.Berlin, CancellationToken.None));
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("owner=Ada Park,Kai Lund")]
    [InlineData("team=Enterprise;region=West")]
    [InlineData("product=Team")]
    public async Task a_counted_demo_snapshot_equals_the_scanned_one(string filters)
    {
        var filter = Filter(filters);
        var first = DemoEnd.AddDays(-370);
        var instants = Enumerable.Range(0, 26).Select(i => BusinessTime.MidnightIn(DateOnly.FromDateTime(first.AddDays(i * 15).UtcDateTime), BerlinApp.Berlin))
            .Concat([first.AddDays(100.3), first.AddDays(200.77), first.AddDays(301.5), BusinessTime.MidnightIn(new DateOnly(2026, 3, 29), BerlinApp.Berlin).AddHours(2.5)]);
        var compared = 0L;
        foreach (var at in instants)
        {
            compared += await AssertCountedEqualsScannedAsync(DemoHistory.PipelineId, filter, at);
        }

        Assert.True(compared > 1_000, $"only {compared} deals in force compared");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(3.25)]
    [InlineData(5)]
    [InlineData(6.5)]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(16)]
    public async Task a_counted_scenario_snapshot_equals_the_scanned_one(double day)
    {
        // X4's reopening on 5 and reassignment on 6, the pipeline redefined on 15, X3's loss on 11 recorded after the rest.
        Assert.True(await AssertCountedEqualsScannedAsync("rp", ReportFilter.None, ReportScenario.Day(day)) > 0);
        await AssertCountedEqualsScannedAsync("rp", Filter("owner=dee"), ReportScenario.Day(day));
    }

    [Theory]
    [InlineData(ForecastGrouping.Stage, "")]
    [InlineData(ForecastGrouping.Owner, "")]
    [InlineData(ForecastGrouping.Team, "region=East")]
    [InlineData(ForecastGrouping.Region, "")]
    [InlineData(ForecastGrouping.Product, "owner=Ben Okafor")]
    public async Task a_counted_forecast_at_a_past_instant_equals_the_scanned_one(ForecastGrouping groupBy, string filters)
    {
        foreach (var at in new[] { DemoEnd.AddDays(-300), BusinessTime.MidnightIn(new DateOnly(2026, 5, 1), BerlinApp.Berlin), DemoEnd.AddDays(-20.4), ReportScenario.Day(7) })
        {
            var query = new ForecastQuery(DemoHistory.PipelineId, Filter(filters), groupBy, at, false, false) { Zone = BerlinApp.Berlin };
            Assert.True(query.Countable);
            var counted = await ForecastReport.RunAsync(Db, query, CancellationToken.None);
            var scanned = await ForecastReport.RunAsync(Db, query with { Explain = true }, CancellationToken.None);
            Assert.Equal(scanned.Groups.Select(g => (g.Key, g.Count, g.TotalAmount, g.WeightedAmount)), counted.Groups.Select(g => (g.Key, g.Count, g.TotalAmount, g.WeightedAmount)));
            Assert.Equal((scanned.Count, scanned.TotalAmount, scanned.WeightedAmount), (counted.Count, counted.TotalAmount, counted.WeightedAmount));
            Assert.True(at < DemoEnd.AddDays(-365) || counted.Count > 0, $"nothing open at {at:O}");
        }
    }

    [Theory]
    [InlineData("sales", "")]
    [InlineData("sales", "owner=Dana Wu,Carla Diaz")]
    [InlineData("sales", "team=Mid-market;product=Business")]
    [InlineData("rp", "")]
    [InlineData("rp", "owner=dee")]
    public async Task counted_conversion_at_a_midnight_equals_the_scanned_one(string pipelineId, string filters)
    {
        // The demo's year at every 20th Berlin midnight; the scenario's days (a reopening, a reassignment, a loss recorded last).
        var days = pipelineId == "rp"
            ? Enumerable.Range(-1, 18).Select(d => DateOnly.FromDateTime(ReportScenario.T0.UtcDateTime).AddDays(d))
            : Enumerable.Range(0, 20).Select(i => new DateOnly(2025, 9, 25).AddDays(i * 20));
        var midnights = days.Select(day => BusinessTime.MidnightIn(day, BerlinApp.Berlin)).ToList();
        Assert.All(midnights, at => Assert.True(CountedDays.IsMidnight(at, BerlinApp.Berlin)));
        await AssertCountedConversionEqualsScannedAsync(pipelineId, filters, midnights);
    }

    [Theory]
    [InlineData("sales", "")]
    [InlineData("sales", "owner=Dana Wu,Carla Diaz")]
    [InlineData("sales", "team=Mid-market;product=Business")]
    [InlineData("rp", "")]
    [InlineData("rp", "owner=dee")]
    public async Task counted_conversion_at_an_instant_inside_a_day_equals_the_scanned_one(string pipelineId, string filters)
    {
        // The counts at the nearer Berlin midnight put right by the changes between it and the instant, either side: the
        // demo's year every 20 days at 00:00:01, 09:40 and 23:59:59, the last Sunday of March (a day of 23 hours) at 14:00;
        // the scenario's days every six hours (a reopening on 5, a reassignment on 6, a loss on 11 recorded last).
        var instants = (pipelineId == "rp"
            ? Enumerable.Range(-4, 72).Select(q => ReportScenario.Day(q / 4.0 + 0.1))
            : Enumerable.Range(0, 20).SelectMany(i => new[] { 1.0, 9 * 3600 + 40 * 60, 86_399 }
                .Select(seconds => BusinessTime.MidnightIn(new DateOnly(2025, 9, 25).AddDays(i * 20), BerlinApp.Berlin).AddSeconds(seconds)))
                .Append(BusinessTime.MidnightIn(new DateOnly(2026, 3, 29), BerlinApp.Berlin).AddHours(13))).ToList();
        Assert.DoesNotContain(instants, at => CountedDays.IsMidnight(at, BerlinApp.Berlin));
        await AssertCountedConversionEqualsScannedAsync(pipelineId, filters, instants);
    }

    /// <summary>Conversion at each instant from the counters and from the rows (explain=true), the same to the cent, over enough deals.</summary>
    private async Task AssertCountedConversionEqualsScannedAsync(string pipelineId, string filters, IEnumerable<DateTimeOffset> instants)
    {
        var stages = pipelineId == "rp" ? new[] { "a", "b", "c", "d" } : ["validate", "develop", "propose", "close"];
        var compared = 0L;
        foreach (var at in instants)
        {
            var query = new ConversionQuery(pipelineId, Filter(filters), null, null, at, null, false) { Zone = BerlinApp.Berlin };
            Assert.True(query.Countable);
            var counted = await ConversionReport.RunAsync(Db, query, stages, CancellationToken.None);
            var scanned = await ConversionReport.RunAsync(Db, query with { Explain = true }, stages, CancellationToken.None);
            Assert.Equal(
                scanned.Stages.Select(s => (at, s.Stage, s.Entered, s.Advanced, s.Won, s.Lost, s.Open, s.ConversionRate, s.WinRate)),
                counted.Stages.Select(s => (at, s.Stage, s.Entered, s.Advanced, s.Won, s.Lost, s.Open, s.ConversionRate, s.WinRate)));
            Assert.Equal((at, scanned.Total with { Deals = null }), (at, counted.Total));
            compared += scanned.Total.Entered;
        }

        Assert.True(compared > (pipelineId == "rp" ? 10 : 100), $"only {compared} deals compared");
    }

    [Theory]
    [InlineData("2026-06-01", "2026-07-01", "", null)]
    [InlineData("2025-10-15", "2026-08-20", "owner=Ada Park", null)]
    [InlineData(null, "2026-03-10", "team=SMB;region=Central", null)]
    [InlineData("2026-02-03", null, "product=Enterprise", null)]
    [InlineData("2026-03-29", "2026-03-30", "", null)]
    [InlineData("2026-01-01", "2027-01-01", "team=Enterprise", null)]
    [InlineData(null, null, "owner=Ada Park", 30)]
    [InlineData(null, null, "", 1)]
    [InlineData("2025-10-15", "2026-08-20", "region=West", 14)]
    [InlineData("2026-06-01", "2026-07-01", "", 0)]
    public async Task counted_conversion_over_a_window_of_entries_equals_the_scanned_one(string? from, string? to, string filters, int? withinDays)
    {
        // Whole Berlin days (one with the switch to summer time), ten months, a whole year, open ends; within whole days
        // (none: the same instant); the scenario's deals are outside them.
        DateTimeOffset? Midnight(string? day) => day is null ? null : BusinessTime.MidnightIn(DateOnly.Parse(day, CultureInfo.InvariantCulture), BerlinApp.Berlin);
        var stages = new[] { "validate", "develop", "propose", "close" };
        var within = withinDays is { } days ? TimeSpan.FromDays(days) : (TimeSpan?)null;
        var query = new ConversionQuery(DemoHistory.PipelineId, Filter(filters), Midnight(from), Midnight(to), DateTimeOffset.UtcNow, within, false) { AsOfNow = true, Zone = BerlinApp.Berlin };
        Assert.True(query.EntriesCountable);
        var counted = await ConversionReport.RunAsync(Db, query, stages, CancellationToken.None);
        var scanned = await ConversionReport.RunAsync(Db, query with { Explain = true }, stages, CancellationToken.None);
        Assert.Equal(
            scanned.Stages.Select(s => (s.Stage, s.Entered, s.Advanced, s.Won, s.Lost, s.Open, s.ConversionRate, s.WinRate)),
            counted.Stages.Select(s => (s.Stage, s.Entered, s.Advanced, s.Won, s.Lost, s.Open, s.ConversionRate, s.WinRate)));
        Assert.Equal(scanned.Total with { Deals = null }, counted.Total);
        Assert.True(counted.Stages[0].Entered > 0);
    }

    [Theory]
    [InlineData("2026-03-01", "2026-04-15", false, "")]
    [InlineData("2025-10-01", "2026-09-30", true, "")]
    [InlineData("2026-04-20", "2026-05-10", true, "team=Enterprise")]
    [InlineData("2026-01-03", "2026-01-20", true, "product=Team,Business")]
    public async Task counted_days_without_record_equal_the_scanned_ones(string first, string last, bool weekends, string filters)
    {
        // The leaver's last day (200 days in), the switch to summer time (29 March) and a whole year.
        var query = new DaysWithoutRecordQuery(DemoHistory.PipelineId, Filter(filters), DateOnly.Parse(first, CultureInfo.InvariantCulture),
            DateOnly.Parse(last, CultureInfo.InvariantCulture), weekends, BerlinApp.Berlin);
        var counted = await DaysWithoutRecordReport.RunAsync(Db, query, CancellationToken.None);
        var scanned = await DaysWithoutRecordReport.RunAsync(Db, query with { Countable = false }, CancellationToken.None);
        Assert.Equal(scanned.Reps.Select(r => (r.Rep, r.Days, r.Recorded, string.Join(' ', r.Missing))), counted.Reps.Select(r => (r.Rep, r.Days, r.Recorded, string.Join(' ', r.Missing))));
        Assert.True(counted.Reps.Sum(r => r.Days) > 10 && counted.Reps.Any(r => r.Missing.Count > 0));
    }

    [Fact]
    public async Task a_day_on_which_a_deal_was_captured_and_closed_is_held()
    {
        // Captured and lost within one Berlin day, by a rep who holds nothing else: held that day (begun on it), not the next.
        var day = new DateOnly(2026, 2, 10);
        var at = BusinessTime.MidnightIn(day, BerlinApp.Berlin);
        (await app.Http.PostJsonAsync("/api/deals", new { dealId = "brief-1", pipelineId = DemoHistory.PipelineId, name = "Brief", owner = "Zoe Brief", amount = 10m, stage = "validate", occurredAt = at.AddHours(9) })).EnsureSuccessStatusCode();
        (await app.Http.PostJsonAsync("/api/deals/brief-1/lose", new { reason = "timing", occurredAt = at.AddHours(15) })).EnsureSuccessStatusCode();
        await app.CatchUpAsync();
        var query = new DaysWithoutRecordQuery(DemoHistory.PipelineId, Filter("owner=Zoe Brief"), day.AddDays(-1), day.AddDays(1), true, BerlinApp.Berlin);
        foreach (var countable in new[] { true, false })
        {
            var rep = Assert.Single((await DaysWithoutRecordReport.RunAsync(Db, query with { Countable = countable }, CancellationToken.None)).Reps);
            Assert.Equal(("Zoe Brief", 1, 0, day), (rep.Rep, rep.Days, rep.Recorded, Assert.Single(rep.Missing)));
        }
    }

    [Theory]
    [InlineData("2026-Q2", "2026-05-14", null, null)]
    [InlineData("2026-Q2", "2026-05-14T15:30:00Z", null, null)]
    [InlineData("2026-Q1", "2026-04-20", "Enterprise", null)]
    [InlineData("2026-Q2", "2026-04-30T21:59:59Z", null, "Carla Diaz")]
    [InlineData("2026-04", "2026-04-22", null, null)]
    [InlineData("2026", "2026-09-01", null, null)]
    [InlineData("2026-Q3", "2026-06-01", null, null)]
    public async Task counted_attainment_equals_the_scanned_one(string period, string asOf, string? team, string? owner)
    {
        // Whole quarters, a month, the year (the demo's targets are quarterly: the others have the organisation's line
        // alone); asOf at a Berlin midnight, inside a day, after the period and before it.
        var parsed = TargetPeriod.Parse(period).Period!;
        var at = asOf.Length == 10 ? BusinessTime.MidnightIn(DateOnly.Parse(asOf, CultureInfo.InvariantCulture), BerlinApp.Berlin) : DateTimeOffset.Parse(asOf, CultureInfo.InvariantCulture);
        var targets = DemoHistory.Targets(DemoEnd).LastOrDefault(t => t.Period == parsed.Text);
        var query = new AttainmentQuery(DemoHistory.PipelineId, parsed, at, BerlinApp.Berlin, targets, team, owner);
        var counted = await AttainmentReport.RunAsync(Db, query, CancellationToken.None);
        var scanned = await AttainmentReport.RunAsync(Db, query with { Explain = true }, CancellationToken.None);
        Assert.Equal(scanned.Lines.Select(l => l with { Deals = null }), counted.Lines);
        Assert.True(counted.Lines.Count > 0);
        Assert.True(at < parsed.StartIn(BerlinApp.Berlin) || counted.Lines.Sum(l => l.Activities.Achieved + l.WonCount.Achieved + l.NewDeals.Achieved) > 0);
    }

    /// <summary>The snapshot at <paramref name="at"/> from the counters and from the intervals (explain's row scan); how many deals it holds.</summary>
    private async Task<long> AssertCountedEqualsScannedAsync(string pipelineId, ReportFilter filter, DateTimeOffset at)
    {
        var stages = pipelineId == "rp" ? new[] { "a", "b", "c", "d" } : ["validate", "develop", "propose", "close"];
        var query = new SnapshotQuery(pipelineId, filter, at, DateTimeOffset.UtcNow, false, false) { KnownNow = true, Zone = BerlinApp.Berlin };
        var counted = await SnapshotReport.RunAsync(Db, query, stages, CancellationToken.None);
        var scanned = await SnapshotReport.RunAsync(Db, query with { Explain = true }, stages, CancellationToken.None);
        var label = $"{pipelineId} at {at:O}";
        Assert.Equal(
            scanned.Stages.Select(s => (s.Stage, s.Count, s.Amount, s.WeightedAmount, label)),
            counted.Stages.Select(s => (s.Stage, s.Count, s.Amount, s.WeightedAmount, label)));
        Assert.Equal((scanned.Won.Count, scanned.Won.Amount, scanned.Lost.Count, scanned.Lost.Amount, label), (counted.Won.Count, counted.Won.Amount, counted.Lost.Count, counted.Lost.Amount, label));
        return scanned.Stages.Sum(s => s.Count) + scanned.Won.Count + scanned.Lost.Count;
    }

    /// <summary>"owner=A,B;team=T" as a filter.</summary>
    private static ReportFilter Filter(string text)
    {
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => (IReadOnlyList<string>)p[1].Split(','));
        IReadOnlyList<string> Of(string name) => parts.GetValueOrDefault(name) ?? [];
        return new ReportFilter(Of("owner"), Of("team"), Of("region"), Of("product"));
    }
}
