using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record EffortQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset AsOf)
{
    /// <summary>The organisation's zone, where the effort counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>No asOf given: each entry's advance and activities are its current ones.</summary>
    public bool AsOfNow { get; init; }

    /// <summary>Now, whole or over a window of whole days in the zone: the effort counts answer it.</summary>
    public bool Countable => AsOfNow && CountedDays.WholeDays(From, To, Zone);

    /// <summary>
    /// With no window: the dated effort counts answer it, at a midnight of the zone by themselves, at another instant put
    /// right by the deals that changed between it and the nearer midnight.
    /// </summary>
    public bool DatedCountable => From is null && To is null;
}

/// <summary>
/// One stage: its conversion (of the deals that first entered it, how many went further by asOf), the activities logged
/// while deals stood in it, and the conversion of the deals worked there (at least one activity) against those not worked.
/// </summary>
public sealed record StageEffort(
    string Stage, long Entered, long Advanced, decimal ConversionRate, long Activities, decimal ActivitiesPerDeal, IReadOnlyDictionary<string, long> ByKind,
    long Worked, decimal WorkedConversionRate, long NotWorked, decimal NotWorkedConversionRate);

/// <summary>Activities per stage beside that stage's conversion, so a manager sees which effort moves deals.</summary>
public sealed record EffortReport(IReadOnlyList<StageEffort> Stages) : IReportAnswer
{
    // The conversion cohort (first entries, as the conversion report counts them) and each cohort deal's activities in
    // that stage: those logged by asOf while the deal stood in it (each activity row carries that stage), counted per
    // deal and kind once, then per deal.
    private static readonly string Sql = $"""
        with f as (
            select f.stage, f.deal_id, (f.advanced_at is not null and f.advanced_at <= @asOf) as advanced
            from {TimelineTables.DealStageFacts} f
            where {ConversionReport.Cohort("f")}
        ), k as (
            select a.stage, a.deal_id, a.kind, count(*) as n from {TimelineTables.Activities} a
            where a.pipeline_id = @pipeline and a.stage is not null and a.occurred_at <= @asOf group by a.stage, a.deal_id, a.kind
        ), j as (
            select f.stage, f.deal_id, f.advanced, k.kind, coalesce(k.n, 0) as n from f left join k on k.stage = f.stage and k.deal_id = f.deal_id
        ), d as (
            select stage, deal_id, bool_or(advanced) as advanced, sum(n) as n from j group by stage, deal_id
        )
        select stage, null as kind, count(*) as entered, count(*) filter (where advanced) as advanced, sum(n)::bigint as activities,
               count(*) filter (where n > 0) as worked, count(*) filter (where n > 0 and advanced) as worked_advanced
        from d group by stage
        union all
        select stage, kind, 0, 0, sum(n)::bigint, 0, 0 from j where kind is not null group by stage, kind
        """;

    // Now: the effort counts of the entries in the window (the months inside it and its other days).
    private static readonly string CountedSql = Counted(TimelineTables.EffortCounts, ReportFilter.Sql("c"), CountedDays.Within("c"), "c.n");

    // At a midnight: the dated effort counts before its day.
    private static readonly string DatedSql = Counted(TimelineTables.EffortDatedCounts, ReportFilter.Sql("c"), CountedDays.StateBefore("c"), CountedDays.Signed("c", "c.n"));

    // The same over every deal, from the totals over the filter attributes.
    private static readonly string DatedAllSql = Counted(TimelineTables.EffortDatedTotals, "true", CountedDays.StateBefore("c"), CountedDays.Signed("c", "c.n"));

    // At an instant inside a day: the dated effort counts at the nearer of its midnights (@dayStart: CountedDays.NearestMidnight),
    // put right by the deals with an interval begun or an activity logged between the two: each entry of theirs as it
    // stood at asOf, less as it stood at that midnight (worked from the deal's first activity in the stage), and the
    // activities logged between, added or taken away. Half a day's changes at most, not the history.
    private static readonly string Changes = $"""
        changed as materialized (
            select distinct deal_id from (
                select i.deal_id from {TimelineTables.DealIntervals} i where i.pipeline_id = @pipeline and {CountedDays.BetweenMidnightAndAsOf("i.valid_from")}
                union all
                select a.deal_id from {TimelineTables.Activities} a where a.pipeline_id = @pipeline and {CountedDays.BetweenMidnightAndAsOf("a.occurred_at")} and a.deal_id is not null) x
        ), entered as materialized (
            select f.deal_id, f.stage, f.first_entered_at, f.advanced_at from changed ch join {TimelineTables.DealStageFacts} f on f.deal_id = ch.deal_id
            where {ConversionReport.Cohort("f", CountedDays.LaterOfMidnightAndAsOf)}
        ), worked as materialized (
            select a.deal_id, a.stage, min(a.occurred_at) as first_at from (select distinct deal_id from entered) e join {TimelineTables.Activities} a on a.deal_id = e.deal_id
            where a.stage is not null group by a.deal_id, a.stage
        ), entries as materialized (
            select f.stage, f.first_entered_at, f.advanced_at, w.first_at from entered f left join worked w on w.deal_id = f.deal_id and w.stage = f.stage
        )
        """;

    private static readonly string Corrections = $"""
        select stage, '{TimelineCounts.Entries}', (advanced_at <= @asOf) is true, (first_at <= @asOf) is true, 1 from entries where first_entered_at <= @asOf
        union all
        select stage, '{TimelineCounts.Entries}', (advanced_at <= @dayStart) is true, (first_at <= @dayStart) is true, -1 from entries where first_entered_at <= @dayStart
        union all
        select a.stage, a.kind, false, true, case when @asOf > @dayStart then 1 else -1 end
        from {TimelineTables.Activities} a join {TimelineTables.DealStageFacts} f on f.deal_id = a.deal_id and f.stage = a.stage
        where a.pipeline_id = @pipeline and {CountedDays.BetweenMidnightAndAsOf("a.occurred_at")} and a.stage is not null and f.pipeline_id = @pipeline and {ReportFilter.Sql("f")}
        """;

    private static readonly string DatedAtInstantSql =
        Counted(TimelineTables.EffortDatedCounts, ReportFilter.Sql("c"), CountedDays.StateBefore("c"), CountedDays.Signed("c", "c.n"), (Changes, Corrections));

    private static readonly string DatedAllAtInstantSql =
        Counted(TimelineTables.EffortDatedTotals, "true", CountedDays.StateBefore("c"), CountedDays.Signed("c", "c.n"), (Changes, Corrections));

    // Effort from counts of entries and activities (kind '' counts the entries) in the buckets a condition picks among the
    // rows the filter condition keeps, each row counting the SQL expression n (signed when the buckets are a state read
    // from its year's end), with rows (stage, kind, advanced, worked, n) that put them right, after the CTEs they read.
    private static string Counted(string table, string filter, string buckets, string n, (string Ctes, string Rows)? corrections = null) => $"""
        with {(corrections is { } k ? $"{k.Ctes}, " : "")}c as (
            select stage, kind, advanced, worked, sum(n)::bigint as n from (
                select c.stage, c.kind, c.advanced, c.worked, {n} as n from {table} c
                where c.pipeline_id = @pipeline and {filter} and {buckets}
                {(corrections is { } r ? $"union all {r.Rows}" : "")}) c
            group by stage, kind, advanced, worked
        )
        select stage, null as kind, coalesce(sum(n) filter (where kind = '{TimelineCounts.Entries}'), 0)::bigint as entered,
               coalesce(sum(n) filter (where kind = '{TimelineCounts.Entries}' and advanced), 0)::bigint as advanced,
               coalesce(sum(n) filter (where kind <> '{TimelineCounts.Entries}'), 0)::bigint as activities,
               coalesce(sum(n) filter (where kind = '{TimelineCounts.Entries}' and worked), 0)::bigint as worked,
               coalesce(sum(n) filter (where kind = '{TimelineCounts.Entries}' and worked and advanced), 0)::bigint as worked_advanced
        from c group by stage
        union all
        select stage, kind, 0, 0, sum(n)::bigint, 0, 0 from c where kind <> '{TimelineCounts.Entries}' group by stage, kind having sum(n) <> 0
        """;

    public static async Task<EffortReport> RunAsync(ReportDatabase db, EffortQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        var sql = !(q.Countable || q.DatedCountable) || !await db.CountedInAsync(q.Zone, ct) ? Sql
            : q.Countable ? CountedSql
            : CountedDays.IsMidnight(q.AsOf, q.Zone) ? q.Filter.SelectsAll ? DatedAllSql : DatedSql
            : q.Filter.SelectsAll ? DatedAllAtInstantSql : DatedAtInstantSql;
        var rows = await db.QueryAsync(sql, c =>
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
            ReportDatabase.Add(c, "asOf", q.AsOf);
            CountedDays.AddWithin(c, q.From, q.To, q.Zone);
            CountedDays.AddNearestMidnight(c, q.AsOf, q.Zone);
            q.Filter.AddParameters(c);
        }, r => (Stage: ReportDatabase.Column<string>(r, "stage"), Kind: ReportDatabase.Column<string?>(r, "kind"), Entered: ReportDatabase.Column<long>(r, "entered"),
            Advanced: ReportDatabase.Column<long>(r, "advanced"), Activities: ReportDatabase.Column<long>(r, "activities"), Worked: ReportDatabase.Column<long>(r, "worked"),
            WorkedAdvanced: ReportDatabase.Column<long>(r, "worked_advanced")), ct);

        return new EffortReport([.. stageOrder.Select(stage =>
        {
            var total = rows.SingleOrDefault(r => r.Stage == stage && r.Kind is null);
            var kinds = rows.Where(r => r.Stage == stage && r.Kind is not null).OrderBy(r => r.Kind, StringComparer.Ordinal).ToDictionary(r => r.Kind!, r => r.Activities);
            var notWorked = total.Entered - total.Worked;
            return new StageEffort(stage, total.Entered, total.Advanced, ReportDatabase.Ratio(total.Advanced, total.Entered), total.Activities,
                ReportDatabase.Ratio(total.Activities, total.Entered), kinds, total.Worked, ReportDatabase.Ratio(total.WorkedAdvanced, total.Worked),
                notWorked, ReportDatabase.Ratio(total.Advanced - total.WorkedAdvanced, notWorked));
        })]);
    }
}
