using Funnel.Host.Http.Query;
using Funnel.Projections.Reports;

namespace Funnel.Host.Reports;

/// <summary>
/// The funnel reports, from one table: thin readers of the read models, one query each. A row turns the report's
/// parameters (its record in ReportParameters.cs, read and checked before the row runs) into its query and says how to run it
/// once the pipeline is known. Times default to now.
/// </summary>
public static class FunnelReportRoutes
{
    public const string Tag = "Reports";

    /// <summary>What a report runs with once its request and pipeline are accepted: the pipeline's stage order among them.</summary>
    public sealed record ReportRun(ReportDatabase Db, IQuerySession Session, IReadOnlyList<string> Stages, CancellationToken Ct);

    private static readonly Action<IEndpointRouteBuilder>[] Routes =
    [
        Route<ConversionParameters, ConversionReport>(
            "conversion", "Stage conversion: of the deals that first entered each stage (in [from, to) when given), how many went further, won, lost or are open at asOf.",
            (p, at) =>
            {
                var query = new ConversionQuery(at.PipelineId, p.Filter(), p.From?.Value, p.To?.Value, p.AsOf?.Value ?? at.Now, p.Within?.Value, p.Explain!.Value)
                {
                    AsItStands = p is { From: null, To: null, AsOf: null, Within: null } && !p.Explain.Value,
                    AsOfNow = p.AsOf is null,
                    Zone = at.Zone,
                };
                return run => ConversionReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<DwellParameters, DwellReport>(
            "dwell", "Dwell: how long deals stay in each stage (completed stays: count, mean, p50, p90, max; open stays: count and median age).",
            (p, at) =>
            {
                var query = new DwellQuery(at.PipelineId, p.Filter(), p.From?.Value, p.To?.Value, p.AsOf?.Value ?? at.Now, p.Explain!.Value);
                query = query with { AsItStands = query is { From: null, To: null, Explain: false }, Zone = at.Zone };
                return run => DwellReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<ForecastParameters, ForecastReport>(
            "forecast", "Forecast: the open deals at asOf (as known at knownAt), their amounts weighted by their stage's win probability, grouped.",
            (p, at) =>
            {
                var weights = p.Probabilities!.Value;
                var query = new ForecastQuery(at.PipelineId, p.Filter(), p.GroupBy!.Value, p.AsOf?.Value ?? at.Now, weights == Weights.Current, p.Explain!.Value)
                {
                    Now = p is { AsOf: null, KnownAt: null },
                    KnownAt = p.KnownAt?.Value,
                    Zone = at.Zone,
                };
                return async run => await ForecastReport.RunAsync(run.Db, query with { Observed = await ObservedAsync(run, weights, at.PipelineId, query.AsOf, query.Now, at.Zone) }, run.Ct);
            }),
        Route<SnapshotParameters, SnapshotReport>(
            "snapshot", "Snapshot: the funnel as it stood at asOf (as known at knownAt): count, amount and weighted amount per stage, won and lost.",
            (p, at) =>
            {
                var weights = p.Probabilities!.Value;
                var query = new SnapshotQuery(at.PipelineId, p.Filter(), p.AsOf?.Value ?? at.Now, p.KnownAt?.Value ?? at.Now, weights == Weights.Current, p.Explain!.Value)
                {
                    AsItStands = p is { AsOf: null, KnownAt: null } && !p.Explain.Value,
                    KnownNow = p.KnownAt is null,
                    Zone = at.Zone,
                };
                return async run => await SnapshotReport.RunAsync(run.Db, query with { Observed = await ObservedAsync(run, weights, at.PipelineId, query.AsOf, p.AsOf is null, at.Zone) }, run.Stages, run.Ct);
            }),
        Route<ClosedParameters, VelocityReport>(
            "velocity", "Velocity: deals open at the window's end, wins and losses in [from, to), average won amount and cycle days.",
            (p, at) =>
            {
                var query = new VelocityQuery(at.PipelineId, p.Filter(), p.From?.Value, p.To?.Value ?? at.Now, p.Explain!.Value) { ToNow = p.To is null, Zone = at.Zone };
                return run => VelocityReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<ClosedParameters, LossesReport>(
            "losses", "Losses: deals lost (in [from, to) when given) by reason, most frequent first.",
            (p, at) =>
            {
                var query = new LossesQuery(at.PipelineId, p.Filter(), p.From?.Value, p.To?.Value, p.Explain!.Value);
                return run => LossesReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<StalledParameters, StalledReport>(
            "stalled", "Stalled: open deals past their stage's maximum days at asOf, longest overdue first, paged.",
            (p, at) =>
            {
                var query = new StalledQuery(at.PipelineId, p.Filter(), p.AsOf?.Value ?? at.Now, p.Page!.Value, p.PageSize!.Value) { AsItStands = true, Zone = at.Zone };
                return run => StalledReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<ChangesParameters, ChangesReport>(
            "changes", "Changes: what moved in [since, until): entries and exits per stage, wins, losses, and a page of the changes of amount with their total.",
            (p, at) =>
            {
                var end = p.Until?.Value ?? at.Now;
                var query = new ChangesQuery(at.PipelineId, p.Filter(), p.Since?.Value ?? end.AddDays(-7), end, p.Explain!.Value, p.Page!.Value, p.PageSize!.Value) { Zone = at.Zone };
                return run => ChangesReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<CalibrationParameters, CalibrationReport>(
            "calibration", "Calibration: per stage, the win probability the pipeline sets against the win rate observed among the deals that entered it (in [from, to) when given) and have closed, with a 95 % Wilson interval.",
            (p, at) =>
            {
                var query = new CalibrationQuery(at.PipelineId, p.Filter(), p.From?.Value, p.To?.Value, at.Now) { AsItStands = p is { From: null, To: null }, AsOfNow = true, Zone = at.Zone };
                return run => CalibrationReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<HandoversParameters, HandoversReport>(
            "handovers", "Handovers: the deals handed from one rep to another (in [from, to) when given), when, why, and at what amount, a page at a time in the order they happened, with their count and amount in all.",
            (p, at) =>
            {
                var query = new HandoversQuery(at.PipelineId, p.From?.Value, p.To?.Value, p.Page!.Value, p.PageSize!.Value) { Zone = at.Zone };
                return run => HandoversReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<AttainmentParameters, AttainmentReport>(
            "attainment", "Attainment: per level of the period's target tree (organisation, teams, reps), the target, what was achieved by asOf, the gap, the pace against a linear path, and the weighted open pipeline expected to close in the period with its coverage.",
            (p, at) =>
            {
                var (period, asOf) = (p.Period!.Value, p.AsOf?.Value ?? at.Now);
                return async run =>
                {
                    var plan = await run.Session.LoadAsync<Domain.Targets.TargetPlan>(Domain.Targets.TargetPlan.IdOf(at.PipelineId, period.Text), run.Ct);
                    return await AttainmentReport.RunAsync(run.Db, new AttainmentQuery(at.PipelineId, period, asOf, at.Zone, plan?.At(asOf), p.Team, p.Owner, p.Explain!.Value), run.Ct);
                };
            }),
        Route<ActivityParameters, ActivityCountsReport>(
            "activity", "Activity: the activities logged in [from, to) (the last 30 days by default) on the pipeline's deals, and on none by reps who own one of its deals, counted by rep, team, kind or day (up to two: groupBy=rep,day), with their minutes and the deals they were on.",
            (p, at) =>
            {
                var end = p.To?.Value ?? at.Now;
                var query = new ActivityCountsQuery(at.PipelineId, p.From?.Value ?? end.AddDays(-30), end, p.GroupBy!.Value, p.Owner!, p.Team!, p.Kind!, at.Zone);
                return run => ActivityCountsReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<DaysWithoutRecordParameters, DaysWithoutRecordReport>(
            "days-without-record", "Days without a record: per rep holding open deals of the pipeline, the days from firstDay to lastDay (the last 4 weeks by default; weekdays unless weekends=true) on which they logged no activity at all.",
            (p, at) =>
            {
                var lastDay = p.LastDay?.Value ?? Domain.BusinessTime.DayIn(at.Now, at.Zone).AddDays(-1);
                var firstDay = p.FirstDay?.Value ?? lastDay.AddDays(-27);
                if (firstDay > lastDay || lastDay.DayNumber - firstDay.DayNumber > 366)
                {
                    at.Reject("firstDay", "range-order", "firstDay lies on or before lastDay, at most a year and a day before it.");
                }

                return run => DaysWithoutRecordReport.RunAsync(run.Db, new DaysWithoutRecordQuery(at.PipelineId, p.Filter(), firstDay, lastDay, p.Weekends!.Value, at.Zone), run.Ct);
            }),
        Route<UntouchedParameters, UntouchedReport>(
            "untouched", "Untouched: the deals open at asOf on which no activity was logged for the untouched span (14d by default; a deal never worked counts from its capture), most neglected first, paged.",
            (p, at) =>
            {
                var query = new UntouchedQuery(at.PipelineId, p.Filter(), p.AsOf?.Value ?? at.Now, p.Untouched!.Value, p.Page!.Value, p.PageSize!.Value) { AsItStands = true, Zone = at.Zone };
                return run => UntouchedReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<EffortParameters, EffortReport>(
            "effort", "Effort: per stage, the activities logged while deals stood in it beside its conversion, and the conversion of the deals worked there against those not worked (the conversion report's cohort: first entries in [from, to) when given).",
            (p, at) =>
            {
                var query = new EffortQuery(at.PipelineId, p.Filter(), p.From?.Value, p.To?.Value, p.AsOf?.Value ?? at.Now) { AsOfNow = p.AsOf is null, Zone = at.Zone };
                return run => EffortReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
    ];

    /// <summary>The observed win rates a forecast or snapshot weighs with, when it asked for them.</summary>
    private static async Task<IReadOnlyDictionary<string, decimal>?> ObservedAsync(ReportRun run, Weights weights, string pipelineId, DateTimeOffset asOf, bool now, TimeZoneInfo zone) =>
        weights == Weights.Observed ? await CalibrationReport.ObservedAsync(run.Db, pipelineId, asOf, now, zone, run.Stages, run.Ct) : null;

    public static void MapFunnelReports(this IEndpointRouteBuilder app)
    {
        foreach (var map in Routes)
        {
            map(app);
        }
    }

    /// <summary>A report at /api/funnel/{pipelineId}/{name} reading its query string as <typeparamref name="TQuery"/>; its operation id is its name.</summary>
    private static Action<IEndpointRouteBuilder> Route<TQuery, T>(string name, string summary, Func<TQuery, ReportContext, Func<ReportRun, Task<T>>> read)
        where TQuery : IQueryParameters
        where T : notnull =>
        app => app.MapGet($"/api/funnel/{{pipelineId}}/{name}", ([AsParameters] TQuery query, string pipelineId, HttpContext http, IQuerySession session, ReportDatabase db, TimeProvider clock, Targets.OrganisationTime zone, CancellationToken ct) =>
            {
                var at = new ReportContext(pipelineId, clock.GetUtcNow(), zone.Zone);
                var run = read(query, at);
                return ReportAnswer.RespondAsync(http, query, at, session, db, async stages => await run(new ReportRun(db, session, stages, ct)), ct);
            })
            .TakesQuery<TQuery>()
            .WithName(name)
            .WithSummary(summary)
            .WithTags(Tag)
            .Produces<T>(StatusCodes.Status200OK)
            .WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.ReportsRead);
}
