using Funnel.Projections.Reports;

namespace Funnel.Host.Reports;

/// <summary>
/// The funnel reports, from one table: thin readers of the read models, one query each. A row reads the query string
/// (strictly, into the report's query) and says how to run it once the pipeline is known. Times default to now.
/// </summary>
public static class FunnelReportRoutes
{
    public const string Tag = "Reports";

    /// <summary>What a report runs with once its request and pipeline are accepted: the pipeline's stage order among them.</summary>
    public sealed record ReportRun(ReportDatabase Db, IQuerySession Session, IReadOnlyList<string> Stages, CancellationToken Ct);

    private static readonly Action<IEndpointRouteBuilder>[] Routes =
    [
        Route<ConversionReport>(
            "conversion", "Stage conversion: of the deals that first entered each stage (in [from, to) when given), how many went further, won, lost or are open at asOf.",
            ["owner", "team", "region", "product", "from", "to", "asOf", "within", "explain"],
            (q, pipelineId) =>
            {
                var filter = q.Filter();
                var (from, to) = q.Window("from", "to");
                var (asOf, within, explain) = (q.Instant("asOf"), q.Duration("within"), q.Flag("explain"));
                var query = new ConversionQuery(pipelineId, filter, from, to, asOf ?? q.Now, within, explain)
                {
                    AsItStands = from is null && to is null && asOf is null && within is null && !explain,
                };
                return run => ConversionReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<DwellReport>(
            "dwell", "Dwell: how long deals stay in each stage (completed stays: count, mean, p50, p90, max; open stays: count and median age).",
            ["owner", "team", "region", "product", "from", "to", "asOf", "explain"],
            (q, pipelineId) =>
            {
                var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
                var query = new DwellQuery(pipelineId, filter, from, to, q.Instant("asOf") ?? q.Now, q.Flag("explain"));
                query = query with { AsItStands = query is { From: null, To: null, Explain: false } };
                return run => DwellReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<ForecastReport>(
            "forecast", "Forecast: the open deals at asOf (as known at knownAt), their amounts weighted by their stage's win probability, grouped.",
            ["probabilities", "owner", "team", "region", "product", "groupBy", "asOf", "knownAt", "explain"],
            (q, pipelineId) =>
            {
                var (weights, filter, groupBy, asOf, knownAt) = (q.Probabilities(), q.Filter(), q.Choice("groupBy", ForecastGrouping.Stage), q.Instant("asOf"), q.Instant("knownAt"));
                var query = new ForecastQuery(pipelineId, filter, groupBy, asOf ?? q.Now, weights == Weights.Current, q.Flag("explain")) { Now = asOf is null && knownAt is null, KnownAt = knownAt };
                return async run => await ForecastReport.RunAsync(run.Db, query with { Observed = await ObservedAsync(run, weights, pipelineId, query.AsOf, query.Now) }, run.Ct);
            }),
        Route<SnapshotReport>(
            "snapshot", "Snapshot: the funnel as it stood at asOf (as known at knownAt): count, amount and weighted amount per stage, won and lost.",
            ["owner", "team", "region", "product", "asOf", "knownAt", "probabilities", "explain"],
            (q, pipelineId) =>
            {
                var (filter, asOf, knownAt, explain) = (q.Filter(), q.Instant("asOf"), q.Instant("knownAt"), q.Flag("explain"));
                var weights = q.Probabilities();
                var query = new SnapshotQuery(pipelineId, filter, asOf ?? q.Now, knownAt ?? q.Now, weights == Weights.Current, explain) { AsItStands = asOf is null && knownAt is null && !explain };
                return async run => await SnapshotReport.RunAsync(run.Db, query with { Observed = await ObservedAsync(run, weights, pipelineId, query.AsOf, asOf is null) }, run.Stages, run.Ct);
            }),
        Route<VelocityReport>(
            "velocity", "Velocity: deals open at the window's end, wins and losses in [from, to), average won amount and cycle days.",
            ["owner", "team", "region", "product", "from", "to", "explain"],
            (q, pipelineId) =>
            {
                var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
                var query = new VelocityQuery(pipelineId, filter, from, to ?? q.Now, q.Flag("explain")) { ToNow = to is null };
                return run => VelocityReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<LossesReport>(
            "losses", "Losses: deals lost (in [from, to) when given) by reason, most frequent first.",
            ["owner", "team", "region", "product", "from", "to", "explain"],
            (q, pipelineId) =>
            {
                var filter = q.Filter();
                var (from, to) = q.Window("from", "to");
                var query = new LossesQuery(pipelineId, filter, from, to, q.Flag("explain"));
                return run => LossesReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<StalledReport>(
            "stalled", "Stalled: open deals past their stage's maximum days at asOf, longest overdue first, paged.",
            ["owner", "team", "region", "product", "asOf", "page", "pageSize"],
            (q, pipelineId) =>
            {
                var query = new StalledQuery(pipelineId, q.Filter(), q.Instant("asOf") ?? q.Now, q.Number("page", 1, 1, 1_000_000), q.Number("pageSize", 50, 1, 500)) { AsItStands = true };
                return run => StalledReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<ChangesReport>(
            "changes", "Changes: what moved in [since, until): entries and exits per stage, wins, losses and amount changes.",
            ["owner", "team", "region", "product", "since", "until", "explain"],
            (q, pipelineId) =>
            {
                var (filter, (since, until)) = (q.Filter(), q.Window("since", "until"));
                var end = until ?? q.Now;
                var query = new ChangesQuery(pipelineId, filter, since ?? end.AddDays(-7), end, q.Flag("explain"));
                return run => ChangesReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<CalibrationReport>(
            "calibration", "Calibration: per stage, the win probability the pipeline sets against the win rate observed among the deals that entered it (in [from, to) when given) and have closed, with a 95 % Wilson interval.",
            ["owner", "team", "region", "product", "from", "to"],
            (q, pipelineId) =>
            {
                var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
                var query = new CalibrationQuery(pipelineId, filter, from, to, q.Now) { AsItStands = from is null && to is null };
                return run => CalibrationReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
        Route<HandoversReport>(
            "handovers", "Handovers: the deals handed from one rep to another (in [from, to) when given), when, why, and at what amount.",
            ["from", "to"],
            (q, pipelineId) =>
            {
                var (from, to) = q.Window("from", "to");
                return run => HandoversReport.RunAsync(run.Db, new HandoversQuery(pipelineId, from, to), run.Ct);
            }),
        Route<AttainmentReport>(
            "attainment", "Attainment: per level of the period's target tree (organisation, teams, reps), the target, what was achieved by asOf, the gap, the pace against a linear path, and the weighted open pipeline expected to close in the period with its coverage.",
            ["period", "asOf", "team", "owner", "explain"],
            (q, pipelineId) =>
            {
                var (period, asOf, team, owner, explain) = (q.Period("period"), q.Instant("asOf") ?? q.Now, q.Text("team"), q.Text("owner"), q.Flag("explain"));
                return async run =>
                {
                    var plan = await run.Session.LoadAsync<Domain.Targets.TargetPlan>(Domain.Targets.TargetPlan.IdOf(pipelineId, period!.Text), run.Ct);
                    return await AttainmentReport.RunAsync(run.Db, new AttainmentQuery(pipelineId, period, asOf, q.Zone, plan?.At(asOf), team, owner, explain), run.Ct);
                };
            }),
        Route<ActivityCountsReport>(
            "activity", "Activity: the activities logged in [from, to) (the last 30 days by default) on the pipeline's deals, and on none by reps who own one of its deals, counted by rep, team, kind or day (up to two: groupBy=rep,day), with their minutes and the deals they were on.",
            ["from", "to", QueryParameters.ActivityGroupBy, "owner", "team", "kind"],
            (q, pipelineId) =>
            {
                var (from, to) = q.Window("from", "to");
                var end = to ?? q.Now;
                var query = new ActivityCountsQuery(pipelineId, from ?? end.AddDays(-30), end, q.Choices("groupBy", ActivityGrouping.Rep, most: 2), q.Many("owner"), q.Many("team"), q.Many("kind"), q.Zone);
                return run => ActivityCountsReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<DaysWithoutRecordReport>(
            "days-without-record", "Days without a record: per rep holding open deals of the pipeline, the days from firstDay to lastDay (the last 4 weeks by default; weekdays unless weekends=true) on which they logged no activity at all.",
            ["owner", "team", "region", "product", "firstDay", "lastDay", "weekends"],
            (q, pipelineId) =>
            {
                var (filter, first, last, weekends) = (q.Filter(), q.Date("firstDay"), q.Date("lastDay"), q.Flag("weekends"));
                var lastDay = last ?? Domain.BusinessTime.DayIn(q.Now, q.Zone).AddDays(-1);
                var firstDay = first ?? lastDay.AddDays(-27);
                if (firstDay > lastDay || lastDay.DayNumber - firstDay.DayNumber > 366)
                {
                    q.Reject("firstDay", "range-order", "firstDay lies on or before lastDay, at most a year and a day before it.");
                }

                return run => DaysWithoutRecordReport.RunAsync(run.Db, new DaysWithoutRecordQuery(pipelineId, filter, firstDay, lastDay, weekends, q.Zone), run.Ct);
            }),
        Route<UntouchedReport>(
            "untouched", "Untouched: the deals open at asOf on which no activity was logged for the untouched span (14d by default; a deal never worked counts from its capture), most neglected first, paged.",
            ["owner", "team", "region", "product", "asOf", "untouched", "page", "pageSize"],
            (q, pipelineId) =>
            {
                var query = new UntouchedQuery(pipelineId, q.Filter(), q.Instant("asOf") ?? q.Now, q.Duration("untouched") ?? TimeSpan.FromDays(14),
                    q.Number("page", 1, 1, 1_000_000), q.Number("pageSize", 50, 1, 500)) { AsItStands = true };
                return run => UntouchedReport.RunAsync(run.Db, query, run.Ct);
            }),
        Route<EffortReport>(
            "effort", "Effort: per stage, the activities logged while deals stood in it beside its conversion, and the conversion of the deals worked there against those not worked (the conversion report's cohort: first entries in [from, to) when given).",
            ["owner", "team", "region", "product", "from", "to", "asOf"],
            (q, pipelineId) =>
            {
                var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
                var query = new EffortQuery(pipelineId, filter, from, to, q.Instant("asOf") ?? q.Now);
                return run => EffortReport.RunAsync(run.Db, query, run.Stages, run.Ct);
            }),
    ];

    /// <summary>The observed win rates a forecast or snapshot weighs with, when it asked for them.</summary>
    private static async Task<IReadOnlyDictionary<string, decimal>?> ObservedAsync(ReportRun run, Weights weights, string pipelineId, DateTimeOffset asOf, bool now) =>
        weights == Weights.Observed ? await CalibrationReport.ObservedAsync(run.Db, pipelineId, asOf, now, run.Stages, run.Ct) : null;

    public static void MapFunnelReports(this IEndpointRouteBuilder app)
    {
        foreach (var map in Routes)
        {
            map(app);
        }
    }

    /// <summary>A report at /api/funnel/{pipelineId}/{name}; its operation id is its name.</summary>
    private static Action<IEndpointRouteBuilder> Route<T>(string name, string summary, string[] takes, Func<ReportRequest, string, Func<ReportRun, Task<T>>> read)
        where T : notnull =>
        app => app.MapGet($"/api/funnel/{{pipelineId}}/{name}", (string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, Targets.OrganisationTime zone, CancellationToken ct) =>
            {
                var q = new ReportRequest(http, clock) { Zone = zone.Zone };
                var run = read(q, pipelineId);
                return q.RespondAsync(session, pipelineId, db, async stages => await run(new ReportRun(db, session, stages, ct)), ct);
            })
            .WithName(name)
            .WithSummary(summary)
            .WithTags(Tag)
            .Produces<T>(StatusCodes.Status200OK)
            .WithMetadata(new TakesAttribute(takes))
            .WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.ReportsRead);
}
