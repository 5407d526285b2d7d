using System.Net;
using Funnel.Host.Dashboard.Panels;
using Funnel.Host.Reports;
using Funnel.Projections.Reports;

namespace Funnel.Host.Dashboard;

/// <summary>Every answer the dashboard page shows, asked of the API at once.</summary>
public sealed record DashboardData(
    ApiAnswer<SnapshotReport> Snapshot,
    ApiAnswer<ConversionReport> Conversion,
    ApiAnswer<DwellReport> Dwell,
    ApiAnswer<StalledReport> Stalled,
    ApiAnswer<ChangesReport> Changes,
    ApiAnswer<ForecastReport> ByOwner,
    ApiAnswer<ForecastReport> ByTeam,
    ApiAnswer<CalibrationReport> Calibration,
    ApiAnswer<HandoversReport> Handovers,
    ApiAnswer<AttainmentReport> Attainment,
    ApiAnswer<UntouchedReport> Untouched,
    ApiAnswer<ActivityCountsReport> Activity,
    ApiAnswer<DaysWithoutRecordReport> Record,
    ApiAnswer<EffortReport> Effort,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Choices,
    DateOnly ChangesSince,
    DateOnly[] HeatDays)
{
    /// <summary>The filter attributes a manager picks from (each one's values among the open deals now).</summary>
    public static readonly string[] FilterNames = ["owner", "team", "region", "product"];

    public const int StalledShown = 10;

    /// <summary>The days the activity heat-map shows, ending with the view's day.</summary>
    public const int HeatMapDays = 28;

    public bool NeedsKey => Snapshot.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    public ReportFreshness? Freshness => Snapshot.Freshness;

    /// <summary>How many of the window's handovers the panel groups (the API's largest page); their count and amount are of all.</summary>
    private const string HandoversGrouped = "500";

    public static async Task<DashboardData> LoadAsync(DashboardApi api, FilterChoices filterChoices, HttpContext caller, DashboardView view, DateOnly today)
    {
        var choices = filterChoices.GetAsync(api, caller, view);
        var since = view.Since ?? (view.AsOf ?? today).AddDays(-7);
        var snapshot = api.GetAsync<SnapshotReport>(caller, view.At("snapshot", ("knownAt", view.KnownAtInstant)));
        var conversion = api.GetAsync<ConversionReport>(caller, view.At("conversion"));
        var dwell = api.GetAsync<DwellReport>(caller, view.At("dwell"));
        var stalled = api.GetAsync<StalledReport>(caller, view.At("stalled", ("pageSize", StalledShown.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var changes = api.GetAsync<ChangesReport>(caller, view.Over("changes", ("since", view.Instant(since)), ("until", view.AsOfInstant)));
        var byOwner = api.GetAsync<ForecastReport>(caller, view.At("forecast", ("groupBy", "owner"), ("knownAt", view.KnownAtInstant)));
        var byTeam = api.GetAsync<ForecastReport>(caller, view.At("forecast", ("groupBy", "team"), ("knownAt", view.KnownAtInstant)));
        var calibration = api.GetAsync<CalibrationReport>(caller, view.Over("calibration"));
        var handovers = api.GetAsync<HandoversReport>(caller, view.Unfiltered("handovers", ("from", view.Instant(since)), ("to", view.AsOfInstant), ("pageSize", HandoversGrouped)));
        var attainment = api.GetAsync<AttainmentReport>(caller, view.Unfiltered("attainment", ("period", QuarterOf(view.AsOf ?? today)), ("asOf", view.AsOfInstant), ("team", view.Team), ("owner", view.Owner)));
        var untouched = api.GetAsync<UntouchedReport>(caller, view.At("untouched", ("pageSize", StalledShown.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var lastDay = view.AsOf ?? today;
        var heatDays = Enumerable.Range(0, HeatMapDays).Select(i => lastDay.AddDays(i - HeatMapDays + 1)).ToArray();
        var activity = api.GetAsync<ActivityCountsReport>(caller, view.Unfiltered("activity", ("from", view.Instant(heatDays[0])), ("to", view.Instant(lastDay.AddDays(1))),
            ("groupBy", "rep,day"), ("owner", view.Owner), ("team", view.Team)));
        // The heat-map's outlines are the days-without-record report's own days (up to yesterday: today is not over).
        var record = api.GetAsync<DaysWithoutRecordReport>(caller, view.Over("days-without-record", ("firstDay", DashboardView.IsoDay(heatDays[0])),
            ("lastDay", DashboardView.IsoDay(lastDay < today ? lastDay : today.AddDays(-1)))));
        var effort = api.GetAsync<EffortReport>(caller, view.At("effort"));
        await Task.WhenAll(snapshot, conversion, dwell, stalled, changes, byOwner, byTeam, calibration, handovers, attainment, untouched, activity, record, effort, choices);
        return new DashboardData(await snapshot, await conversion, await dwell, await stalled, await changes, await byOwner, await byTeam, await calibration, await handovers, await attainment,
            await untouched, await activity, await record, await effort,
            await choices,
            since, heatDays);
    }

    /// <summary>The quarter a day falls in, as the targets name it (2026-Q4).</summary>
    public static string QuarterOf(DateOnly day) => $"{day.Year}-Q{(day.Month - 1) / 3 + 1}";

    /// <summary>The stages as the charts draw them: the snapshot's amounts beside the dwell's percentiles.</summary>
    public StagePoint[] StagePoints() => [.. (Snapshot.Value?.Stages ?? []).Select(s =>
    {
        var dwell = Dwell.Value?.Stages.FirstOrDefault(d => d.Stage == s.Stage);
        return new StagePoint(s.Stage, s.Count, (double)s.Amount, (double)s.WeightedAmount, (double)(dwell?.P50Days ?? 0), (double)(dwell?.P90Days ?? 0));
    })];
}
