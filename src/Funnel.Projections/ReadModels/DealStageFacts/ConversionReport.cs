using System.Text.Json.Serialization;
using Funnel.Domain;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

public sealed record ConversionQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset AsOf, TimeSpan? Within, bool Explain)
{
    /// <summary>As the funnel stands, with no window, no within and no deal lists: the running counts answer it.</summary>
    public bool AsItStands { get; init; }

    /// <summary>The organisation's zone, where the dated stage counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>No asOf given: each entry's status and advance at asOf are its current ones.</summary>
    public bool AsOfNow { get; init; }

    /// <summary>At a midnight of the zone, with no window, no within and no deal lists: the dated stage counts answer it.</summary>
    public bool Countable => From is null && To is null && Within is null && !Explain && CountedDays.IsMidnight(AsOf, Zone);

    /// <summary>
    /// Now, whole or over a window of whole days in the zone, within whole days if at all, with no deal lists: the stage
    /// counts by day of entry answer it (and the advance counts, within).
    /// </summary>
    public bool EntriesCountable => AsOfNow && !Explain && CountedDays.WholeDays(From, To, Zone) && (Within is null || Within.Value.Ticks % TimeSpan.TicksPerDay == 0);
}

public sealed record StageConversion(string Stage, long Entered, long Advanced, long Won, long Lost, long Open, decimal ConversionRate, decimal WinRate, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConversionDeals? Deals);

public sealed record ConversionTotal(long Entered, long Won, long Lost, long Open, decimal WinRate, decimal ClosedWinRate, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConversionDeals? Deals);

/// <summary>With explain=true, the deal ids behind each number.</summary>
public sealed record ConversionDeals(string[] Entered, string[] Advanced, string[] Won, string[] Lost, string[] Open);

public sealed record ConversionReport(IReadOnlyList<StageConversion> Stages, ConversionTotal Total) : IReportAnswer
{
    /// <summary>
    /// The conversion cohort, on stage facts aliased <paramref name="alias"/>: the pipeline's deals (filtered) that first
    /// entered each stage by @asOf, in [@from, @to) when given. The effort report counts the same deals.
    /// </summary>
    internal static string Cohort(string alias) =>
        $"{alias}.pipeline_id = @pipeline and {ReportFilter.Sql(alias)} and {alias}.first_entered_at <= @asOf " +
        $"and (@from::timestamptz is null or {alias}.first_entered_at >= @from) and (@to::timestamptz is null or {alias}.first_entered_at < @to)";

    // Deals that first entered each stage (in [from, to) when given, and by asOf), what became of them by asOf.
    private static string StageSql(bool explain) => $"""
        with f as (
            select f.stage, f.deal_id, f.first_entered_at, f.advanced_at, {StatusAt("f")} as status
            from {TimelineTables.DealStageFacts} f
            where {Cohort("f")}
        ), a as (
            select f.*, (advanced_at is not null and advanced_at <= @asOf and (@within::interval is null or advanced_at - first_entered_at <= @within)) as advanced from f
        )
        select stage, count(*) as entered, count(*) filter (where advanced) as advanced, count(*) filter (where status = 'won') as won,
               count(*) filter (where status = 'lost') as lost, count(*) filter (where status = 'open') as open,
               {Ids(explain, "true")} as entered_deals, {Ids(explain, "advanced")} as advanced_deals, {Ids(explain, "status = 'won'")} as won_deals,
               {Ids(explain, "status = 'lost'")} as lost_deals, {Ids(explain, "status = 'open'")} as open_deals
        from a group by stage
        """;

    private static string TotalSql(bool explain) => $"""
        with t as (
            select d.deal_id, {StatusAt("d")} as status
            from {TimelineTables.DealCurrent} d
            where d.pipeline_id = @pipeline and {ReportFilter.Sql("d")}
              and d.captured_at <= @asOf and (@from::timestamptz is null or d.captured_at >= @from) and (@to::timestamptz is null or d.captured_at < @to)
        )
        select count(*) as entered, count(*) filter (where status = 'won') as won, count(*) filter (where status = 'lost') as lost, count(*) filter (where status = 'open') as open,
               {Ids(explain, "true")} as entered_deals, {Ids(explain, "status = 'won'")} as won_deals, {Ids(explain, "status = 'lost'")} as lost_deals,
               {Ids(explain, "status = 'open'")} as open_deals
        from t
        """;

    // Entries in [from, to) (either open), as they stand: the stage counts of the months inside the window and of its other
    // days (stage '' is the deals themselves, by capture); within a number of days, the advances are the advance counts'.
    private static string Entries(bool within) => $"""
        {(within ? $"with {AdvancedWithin}" : "")}
        select stage, sum(n)::bigint as entered,
               {(within ? "(select w.n from advanced_within w where w.stage = c.stage)" : "(sum(n) filter (where advanced))::bigint")} as advanced,
               (sum(n) filter (where status = 'won'))::bigint as won, (sum(n) filter (where status = 'lost'))::bigint as lost,
               (sum(n) filter (where status = 'open'))::bigint as open
        from {TimelineTables.StageCounts} c
        where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")}
          and {CountedDays.Within("c")}
        group by stage
        """;

    // The advances within a number of days per stage, summed once for every stage (a sum per stage read the counts once each).
    private static readonly string AdvancedWithin = $"""
        advanced_within as materialized (
            select a.stage, sum(a.n)::bigint as n from {TimelineTables.AdvanceCounts} a
            where a.pipeline_id = @pipeline and a.lag_days <= @withinDays and {ReportFilter.Sql("a")} and {CountedDays.Within("a")}
            group by a.stage)
        """;

    private static readonly (string Stages, string Total) EntriesSql = StagesAndTotal(Entries(within: false));

    private static readonly (string Stages, string Total) EntriesWithinSql = StagesAndTotal(Entries(within: true));

    // At a midnight: the dated stage counts before its day, per stage and (stage '') for the deals themselves.
    private static readonly string DatedCounts = $"""
        select stage, (sum(n) filter (where status <> '{TimelineCounts.Advanced}'))::bigint as entered, (sum(n) filter (where status = '{TimelineCounts.Advanced}'))::bigint as advanced,
               (sum(n) filter (where status = 'won'))::bigint as won, (sum(n) filter (where status = 'lost'))::bigint as lost, (sum(n) filter (where status = 'open'))::bigint as open
        from (select c.stage, c.status, {CountedDays.Signed("c", "c.n")} as n from {TimelineTables.StageStatusCounts} c
              where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")} and {CountedDays.StateBefore("c")}) c
        group by stage
        """;

    private static readonly (string Stages, string Total) DatedSql = StagesAndTotal(DatedCounts);

    /// <summary>Counts per stage split into the stages' rows and the deals' own (stage ''), one row even when there are none.</summary>
    private static (string Stages, string Total) StagesAndTotal(string counts) =>
        ($"select * from ({counts}) s where stage <> ''", $"select t.* from (select 1) one left join ({counts}) t on t.stage = ''");

    public static async Task<ConversionReport> RunAsync(ReportDatabase db, ConversionQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        var (stageSql, totalSql) = q.AsItStands ? EntriesSql
            : q.EntriesCountable && await db.CountedInAsync(q.Zone, ct) ? (q.Within is null ? EntriesSql : EntriesWithinSql)
            : q.Countable && await db.CountedInAsync(q.Zone, ct) ? DatedSql
            : (StageSql(q.Explain), TotalSql(q.Explain));
        var rows = await db.QueryAsync(stageSql, c => Parameters(c, q), r =>
        {
            var (entered, advanced, won) = (Count(r, "entered"), Count(r, "advanced"), Count(r, "won"));
            return new StageConversion(
                ReportDatabase.Column<string>(r, "stage"), entered, advanced, won, Count(r, "lost"), Count(r, "open"),
                ReportDatabase.Ratio(advanced, entered), ReportDatabase.Ratio(won, entered), q.Explain ? Deals(r, advanced: true) : null);
        }, ct);
        var byStage = rows.ToDictionary(s => s.Stage);
        var stages = stageOrder.Select(s => byStage.GetValueOrDefault(s) ?? new StageConversion(s, 0, 0, 0, 0, 0, 0, 0, q.Explain ? new ConversionDeals([], [], [], [], []) : null)).ToList();

        var total = (await db.QueryAsync(totalSql, c => Parameters(c, q), r =>
        {
            var (entered, won, lost) = (Count(r, "entered"), Count(r, "won"), Count(r, "lost"));
            return new ConversionTotal(
                entered, won, lost, Count(r, "open"), ReportDatabase.Ratio(won, entered), ReportDatabase.Ratio(won, won + lost), q.Explain ? Deals(r, advanced: false) : null);
        }, ct)).Single();
        return new ConversionReport(stages, total);
    }

    private static long Count(Npgsql.NpgsqlDataReader r, string column) => ReportDatabase.Column<long?>(r, column) ?? 0;

    /// <summary>The deal lists of explain=true (the totals have no "advanced").</summary>
    private static ConversionDeals Deals(Npgsql.NpgsqlDataReader r, bool advanced) => new(
        ReportDatabase.Strings(r, "entered_deals"), advanced ? ReportDatabase.Strings(r, "advanced_deals") : [], ReportDatabase.Strings(r, "won_deals"),
        ReportDatabase.Strings(r, "lost_deals"), ReportDatabase.Strings(r, "open_deals"));

    /// <summary>A deal's status at @asOf: its current one unless that came later, then the interval in force at @asOf.</summary>
    internal static string StatusAt(string row) =>
        $"case when {row}.status_changed_at <= @asOf then {row}.status else " +
        $"(select i.status from {TimelineTables.DealIntervals} i where i.deal_id = {row}.deal_id and i.valid_from <= @asOf order by i.version desc limit 1) end";

    private static string Ids(bool explain, string condition) =>
        DealLists.When(explain, $"coalesce(array_agg(deal_id order by deal_id) filter (where {condition}), '{{}}')");

    private static void Parameters(NpgsqlCommand c, ConversionQuery q)
    {
        ReportDatabase.Add(c, "pipeline", q.PipelineId);
        ReportDatabase.Add(c, "asOf", q.AsOf);
        ReportDatabase.Add(c, "from", q.From);
        ReportDatabase.Add(c, "to", q.To);
        ReportDatabase.Add(c, "within", q.Within);
        c.Parameters.AddWithValue("withinDays", q.Within is { } within ? (int)Math.Min(within.TotalDays, int.MaxValue) : 0);
        IntervalCountsAt.AddParameters(c, q.AsOf, q.Zone);
        CountedDays.AddWithin(c, q.From, q.To, q.Zone);
        q.Filter.AddParameters(c);
    }
}
