using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

public enum ActivityGrouping
{
    Rep,
    Team,
    Kind,
    Day,
}

/// <summary>Counts the activities of [From, To) a pipeline counts (<see cref="ActivityCountsReport.OfPipeline"/>).</summary>
public sealed record ActivityCountsQuery(string PipelineId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ActivityGrouping> GroupBy, IReadOnlyList<string> Reps,
    IReadOnlyList<string> Teams, IReadOnlyList<string> Kinds, TimeZoneInfo Zone)
{
    /// <summary>
    /// By rep and day, reps filtered if at all, and at most one team (a deal worked under two would count once among both
    /// teams' activities, not once in each): the activity counts and each rep's deals per day answer its whole days, the
    /// activity rows the parts of a day at either end.
    /// </summary>
    public bool Countable => GroupBy.Count == 2 && GroupBy.Contains(ActivityGrouping.Rep) && GroupBy.Contains(ActivityGrouping.Day)
        && Teams.Count <= 1 && Kinds.Count == 0;
}

/// <summary>One group: its keys (those grouped by), how many activities, their minutes, and the distinct deals they were on.</summary>
public sealed record ActivityCount(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rep,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Team,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? Day,
    long Activities, long Minutes, long Deals);

public sealed record ActivityCountsReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ActivityGrouping> GroupBy, long Activities, long Minutes, IReadOnlyList<ActivityCount> Groups) : IReportAnswer
{
    /// <summary>The SQL key of each grouping; a day is the calendar day in the organisation's zone.</summary>
    private static string Key(ActivityGrouping g) => g switch
    {
        ActivityGrouping.Rep => "a.rep",
        ActivityGrouping.Team => "a.team",
        ActivityGrouping.Kind => "a.kind",
        _ => "(a.occurred_at at time zone @zone)::date",
    };

    /// <summary>
    /// The activities a pipeline counts, on a row aliased <paramref name="alias"/>: those on its deals, and those on no deal
    /// by the reps who own one of its deals (a rep's own work serves the pipelines they sell in; another pipeline's reps' does not).
    /// </summary>
    /// <param name="owners">SQL for the pipeline's deals' owners: by default from the current deals (<see cref="CountedOwners"/> where counted).</param>
    internal static string OfPipeline(string alias, string? owners = null) =>
        $"({alias}.pipeline_id = @pipeline or ({alias}.pipeline_id is null and {alias}.rep in ({owners ?? $"select owner from {TimelineTables.DealCurrent} where pipeline_id = @pipeline"})))";

    /// <summary>
    /// The same on the activity counts aliased <paramref name="alias"/> (pipeline '' on no deal): the reps who own one of
    /// the pipeline's deals are those its stage counts hold (by current owner) in some year.
    /// </summary>
    internal static string CountedOfPipeline(string alias) => $"({alias}.pipeline_id = @pipeline or ({alias}.pipeline_id = '' and {alias}.rep in ({CountedOwners})))";

    /// <summary>The pipeline's deals' current owners, from its stage counts (any year holding one of their deals).</summary>
    internal static readonly string CountedOwners = $"select owner from {TimelineTables.StageCounts} where pipeline_id = @pipeline and span = '{CounterCalendar.Year}' and n <> 0";

    // By rep and day, counted: the day rows of the activity counts over the whole days [@fromDay, @toDay), and each rep's
    // distinct deals of the day (of the team's activities); the parts of a day at either end from the rows (CountedDays.DayPartsOf).
    private static string CountedByRepAndDay(bool byTeam) => $"""
        with c as (
            select c.rep, c.bucket as day, sum(c.n)::bigint as activities, sum(c.minutes)::bigint as minutes from {TimelineTables.ActivityCounts} c
            where {CountedOfPipeline("c")} and c.span = '{CounterCalendar.Day}' and c.bucket >= @fromDay and c.bucket < @toDay and (cardinality(@reps) = 0 or c.rep = any(@reps))
              and (cardinality(@teams) = 0 or c.team = any(@teams))
            group by c.rep, c.bucket
        )
        select c.rep, null::text as team, null::text as kind, c.day, c.activities, c.minutes, coalesce(d.n, 0) as deals
        from c left join {(byTeam ? TimelineTables.RepDayTeamDeals : TimelineTables.RepDayDeals)} d
             on d.pipeline_id = @pipeline and d.day = c.day and d.rep = c.rep{(byTeam ? " and d.team = any(@teams)" : "")}
        union all
        select a.rep, null, null, {Key(ActivityGrouping.Day)}, count(*), coalesce(sum(a.duration_minutes), 0)::bigint, count(distinct a.deal_id)
        from ({string.Join(" union all ", CountedDays.DayPartsOf("@from", "@to").Select(p => InScope(p.Since, p.Until, CountedOwners)))}) a
        group by a.rep, {Key(ActivityGrouping.Day)}
        """;

    /// <summary>The activities the pipeline counts in [<paramref name="from"/>, <paramref name="to"/>) (SQL instants), by rep, team and kind when asked (<paramref name="owners"/>: <see cref="OfPipeline"/>).</summary>
    private static string InScope(string from = "@from", string to = "@to", string? owners = null) => $"""
        select a.* from {TimelineTables.Activities} a
        where {OfPipeline("a", owners)} and a.occurred_at >= {from} and a.occurred_at < {to}
          and (cardinality(@reps) = 0 or a.rep = any(@reps)) and (cardinality(@teams) = 0 or a.team = any(@teams)) and (cardinality(@kinds) = 0 or a.kind = any(@kinds))
        """;

    private static string Sql(IReadOnlyList<ActivityGrouping> groupBy)
    {
        var keys = Enum.GetValues<ActivityGrouping>().Select(g => groupBy.Contains(g) ? $"{Key(g)} as {g.ToString().ToLowerInvariant()}" : $"null as {g.ToString().ToLowerInvariant()}");
        var by = groupBy.Count == 0 ? "" : $"group by {string.Join(", ", groupBy.Select(Key))} order by {string.Join(", ", groupBy.Select(Key))}";
        return $"""
            select {string.Join(", ", keys)}, count(*) as activities, coalesce(sum(a.duration_minutes), 0)::bigint as minutes, count(distinct a.deal_id) as deals
            from ({InScope()}) a {by}
            """;
    }

    public static async Task<ActivityCountsReport> RunAsync(ReportDatabase db, ActivityCountsQuery q, CancellationToken ct)
    {
        var sql = q.Countable && await db.CountedInAsync(q.Zone, ct)
            ? $"select * from ({CountedByRepAndDay(q.Teams.Count > 0)}) c order by {string.Join(", ", q.GroupBy.Select(g => g == ActivityGrouping.Rep ? "c.rep" : "c.day"))}"
            : Sql(q.GroupBy);
        var groups = await db.QueryAsync(sql, c => AddParameters(c, q), r => new ActivityCount(
            ReportDatabase.Column<string?>(r, "rep"), ReportDatabase.Column<string?>(r, "team"), ReportDatabase.Column<string?>(r, "kind"),
            ReportDatabase.Column<DateOnly?>(r, "day"), ReportDatabase.Column<long>(r, "activities"), ReportDatabase.Column<long>(r, "minutes"),
            ReportDatabase.Column<long>(r, "deals")), ct);
        var all = groups.Where(g => g.Activities > 0).ToList();
        return new ActivityCountsReport(q.From, q.To, q.GroupBy, all.Sum(g => g.Activities), all.Sum(g => g.Minutes), all);
    }

    internal static void AddParameters(NpgsqlCommand c, ActivityCountsQuery q)
    {
        ReportDatabase.Add(c, "pipeline", q.PipelineId);
        ReportDatabase.Add(c, "from", q.From);
        ReportDatabase.Add(c, "to", q.To);
        ReportDatabase.Add(c, "zone", q.Zone.Id);
        ReportDatabase.Add(c, "reps", q.Reps);
        ReportDatabase.Add(c, "teams", q.Teams);
        ReportDatabase.Add(c, "kinds", q.Kinds);
        CountedDays.AddWholeDaysInside(c, q.From, q.To, q.Zone);
    }
}
