using System.Text.Json.Serialization;
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

    /// <summary>
    /// With no window, no within and no deal lists: the dated stage counts answer it, at a midnight of the zone by
    /// themselves, at another instant put right by the deals that changed between it and the nearer midnight.
    /// </summary>
    public bool Countable => From is null && To is null && Within is null && !Explain;

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
    internal static string Cohort(string alias, string at = "@asOf") =>
        $"{alias}.pipeline_id = @pipeline and {ReportFilter.Sql(alias)} and {alias}.first_entered_at <= {at} " +
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

    private static readonly string EntriesSql = Entries(within: false);

    private static readonly string EntriesWithinSql = Entries(within: true);

    // At a midnight: the dated stage counts before its day, per stage and (stage '') for the deals themselves.
    private static readonly string DatedSql = $"""
        select stage, (sum(n) filter (where status <> '{TimelineCounts.Advanced}'))::bigint as entered, (sum(n) filter (where status = '{TimelineCounts.Advanced}'))::bigint as advanced,
               (sum(n) filter (where status = 'won'))::bigint as won, (sum(n) filter (where status = 'lost'))::bigint as lost, (sum(n) filter (where status = 'open'))::bigint as open
        from (select c.stage, c.status, {CountedDays.Signed("c", "c.n")} as n from {TimelineTables.StageStatusCounts} c
              where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")} and {CountedDays.StateBefore("c")}) c
        group by stage
        """;

    // At an instant inside a day: the dated stage counts at the nearer of its midnights (@dayStart, the day's or the
    // next's: CountedDays.NearestMidnight), put right by the deals with an interval begun between the two (every change of a
    // stage entry's status or advance begins one): what each adds at asOf less what it added at that midnight, read
    // from its rows. Half a day's changes at most, not the history.
    private static readonly string DatedAtInstantSql = $"""
        with changed as materialized (
            select d.deal_id, d.captured_at, {StatusAt("d", "@dayStart")} as was, {StatusAt("d")} as status
            from (select distinct i.deal_id from {TimelineTables.DealIntervals} i where i.pipeline_id = @pipeline and {CountedDays.BetweenMidnightAndAsOf("i.valid_from")}) ch
            join {TimelineTables.DealCurrent} d on d.deal_id = ch.deal_id
            where d.pipeline_id = @pipeline and {ReportFilter.Sql("d")}
        )
        select stage, sum(entered)::bigint as entered, sum(advanced)::bigint as advanced, sum(won)::bigint as won, sum(lost)::bigint as lost, sum(open)::bigint as open
        from ({DatedSql}
              union all
              select f.stage, {Since("f.first_entered_at", "true")}, ((f.advanced_at <= @asOf) is true)::int - ((f.advanced_at <= @dayStart) is true)::int,
                     {Since("f.first_entered_at", "won")}, {Since("f.first_entered_at", "lost")}, {Since("f.first_entered_at", "open")}
              from changed k join {TimelineTables.DealStageFacts} f on f.deal_id = k.deal_id where {Cohort("f", CountedDays.LaterOfMidnightAndAsOf)}
              union all
              select '', {Since("k.captured_at", "true")}, 0, {Since("k.captured_at", "won")}, {Since("k.captured_at", "lost")}, {Since("k.captured_at", "open")}
              from changed k where k.captured_at <= {CountedDays.LaterOfMidnightAndAsOf}) x
        group by stage
        """;

    /// <summary>
    /// SQL, on a changed deal <c>k</c>: 1 when the entry at <paramref name="entered"/> counts at asOf under <paramref name="status"/>
    /// (true for any, or a status name), less 1 when it counted at the midnight @dayStart.
    /// </summary>
    private static string Since(string entered, string status)
    {
        string Under(string column) => status == "true" ? "true" : $"k.{column} = '{status}'";
        return $"(({entered} <= @asOf and {Under("status")}) is true)::int - (({entered} <= @dayStart and {Under("was")}) is true)::int";
    }

    public static async Task<ConversionReport> RunAsync(ReportDatabase db, ConversionQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        // The counts come in one statement, stage '' for the deals themselves; the rows in two, the totals' of their own.
        var counted = q.AsItStands ? EntriesSql
            : q.EntriesCountable && await db.CountedInAsync(q.Zone, ct) ? (q.Within is null ? EntriesSql : EntriesWithinSql)
            : q.Countable && await db.CountedInAsync(q.Zone, ct) ? CountedDays.IsMidnight(q.AsOf, q.Zone) ? DatedSql : DatedAtInstantSql
            : null;
        var rows = await db.QueryAsync(counted ?? StageSql(q.Explain), c => Parameters(c, q), r =>
        {
            var (entered, advanced, won) = (Count(r, "entered"), Count(r, "advanced"), Count(r, "won"));
            return new StageConversion(
                ReportDatabase.Column<string>(r, "stage"), entered, advanced, won, Count(r, "lost"), Count(r, "open"),
                ReportDatabase.Ratio(advanced, entered), ReportDatabase.Ratio(won, entered), q.Explain ? Deals(r, advanced: true) : null);
        }, ct);
        var byStage = rows.ToDictionary(s => s.Stage);
        var stages = stageOrder.Select(s => byStage.GetValueOrDefault(s) ?? new StageConversion(s, 0, 0, 0, 0, 0, 0, 0, q.Explain ? new ConversionDeals([], [], [], [], []) : null)).ToList();
        static ConversionTotal Total(long entered, long won, long lost, long open, ConversionDeals? deals) =>
            new(entered, won, lost, open, ReportDatabase.Ratio(won, entered), ReportDatabase.Ratio(won, won + lost), deals);
        var total = counted is null
            ? (await db.QueryAsync(TotalSql(q.Explain), c => Parameters(c, q), r =>
                Total(Count(r, "entered"), Count(r, "won"), Count(r, "lost"), Count(r, "open"), q.Explain ? Deals(r, advanced: false) : null), ct)).Single()
            : byStage.GetValueOrDefault("") is { } own ? Total(own.Entered, own.Won, own.Lost, own.Open, null) : Total(0, 0, 0, 0, null);
        return new ConversionReport(stages, total);
    }

    private static long Count(Npgsql.NpgsqlDataReader r, string column) => ReportDatabase.Column<long?>(r, column) ?? 0;

    /// <summary>The deal lists of explain=true (the totals have no "advanced").</summary>
    private static ConversionDeals Deals(Npgsql.NpgsqlDataReader r, bool advanced) => new(
        ReportDatabase.Strings(r, "entered_deals"), advanced ? ReportDatabase.Strings(r, "advanced_deals") : [], ReportDatabase.Strings(r, "won_deals"),
        ReportDatabase.Strings(r, "lost_deals"), ReportDatabase.Strings(r, "open_deals"));

    /// <summary>A deal's status at <paramref name="at"/>: its current one unless that came later, then the interval in force at that instant.</summary>
    internal static string StatusAt(string row, string at = "@asOf") =>
        $"case when {row}.status_changed_at <= {at} then {row}.status else " +
        $"(select i.status from {TimelineTables.DealIntervals} i where i.deal_id = {row}.deal_id and i.valid_from <= {at} order by i.version desc limit 1) end";

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
        CountedDays.AddNearestMidnight(c, q.AsOf, q.Zone);
        CountedDays.AddWithin(c, q.From, q.To, q.Zone);
        q.Filter.AddParameters(c);
    }
}
