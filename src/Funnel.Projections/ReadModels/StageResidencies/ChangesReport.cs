using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record ChangesQuery(string PipelineId, ReportFilter Filter, DateTimeOffset Since, DateTimeOffset Until, bool Explain, int Page = 1, int PageSize = 50)
{
    /// <summary>The organisation's zone, where the counters' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>No deal lists: the stay change counts and the interval counts answer its whole days, the rows the parts of a day at either end.</summary>
    public bool Countable => !Explain;
}

public sealed record StageChanges(
    string Stage, long Entered, long Left, long Advanced, long Regressed, long Won, long Lost, long Net,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? EnteredDeals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? LeftDeals);

public sealed record ClosedChanges(long Count, decimal Amount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Deals);

public sealed record AmountChange(string DealId, string Stage, decimal From, decimal To, DateTimeOffset At);

/// <summary>
/// What moved in [since, until): the "what changed since last week" review. The changes of amount are a page, in the
/// order they happened, with how many there are in all (a month's at a million deals: 51,323).
/// </summary>
public sealed record ChangesReport(
    DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<StageChanges> Stages, ClosedChanges Won, ClosedChanges Lost, IReadOnlyList<AmountChange> AmountChanges,
    int Page, int PageSize, long AmountChangesTotal) : IReportAnswer
{
    // Stays that began or ended in [since, until) (SQL instants), each with whether it came and went then. Filters apply
    // to the deal's current values. The two ranges each by their own index: as one OR, the planner, whose statistics
    // cannot tell one pipeline's recent stays from another's, read a whole pipeline's stays (407 ms on a store whose
    // newest stays were another pipeline's).
    private static string Stays(string since, string until) => $"""
        select r.stage, r.deal_id, r.exit_kind, r.entered_at >= {since} and r.entered_at < {until} as came, r.exited_at >= {since} and r.exited_at < {until} as went from (
            select r.stage, r.deal_id, r.entered_at, r.exited_at, r.exit_kind from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and {ReportFilter.Sql("r")} and r.entered_at >= {since} and r.entered_at < {until}
            union all
            select r.stage, r.deal_id, r.entered_at, r.exited_at, r.exit_kind from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and {ReportFilter.Sql("r")} and r.exited_at >= {since} and r.exited_at < {until}
              and not (r.entered_at >= {since} and r.entered_at < {until})) r
        """;

    /// <summary>SQL: the counts of each change among stays <c>x</c> (<see cref="Stays"/>).</summary>
    private const string Counts = """
        count(*) filter (where came) as entered, count(*) filter (where went) as exited,
        count(*) filter (where went and exit_kind = 'advanced') as advanced, count(*) filter (where went and exit_kind = 'regressed') as regressed,
        count(*) filter (where went and exit_kind = 'won') as won, count(*) filter (where went and exit_kind = 'lost') as lost
        """;

    // Stays that began or ended in the window, per stage, by how they ended.
    private static string StagesSql(bool explain) => $"""
        with x as ({Stays("@since", "@until")})
        select s.stage, {Counts},
               {DealLists.When(explain, "coalesce(array_agg(distinct deal_id) filter (where came), array[]::text[])")} as entered_deals,
               {DealLists.When(explain, "coalesce(array_agg(distinct deal_id) filter (where went), array[]::text[])")} as exited_deals
        from unnest(@stages) with ordinality as s(stage, n) left join x on x.stage = s.stage
        group by s.stage, s.n order by s.n
        """;

    // The same from the counters over the window's whole days (its years, months and days), and from the stays over the
    // parts of a day at either end (DayParts).
    private static string CountedStagesSql(bool filtered) => $"""
        select s.stage, coalesce(sum(x.entered), 0)::bigint as entered, coalesce(sum(x.exited), 0)::bigint as exited,
               coalesce(sum(x.advanced), 0)::bigint as advanced, coalesce(sum(x.regressed), 0)::bigint as regressed,
               coalesce(sum(x.won), 0)::bigint as won, coalesce(sum(x.lost), 0)::bigint as lost, null::text[] as entered_deals, null::text[] as exited_deals
        from unnest(@stages) with ordinality as s(stage, n)
        left join (
            select c.stage, sum(c.n) filter (where c.change = '{TimelineCounts.Entered}') as entered, sum(c.n) filter (where c.change <> '{TimelineCounts.Entered}') as exited,
                   sum(c.n) filter (where c.change = 'advanced') as advanced, sum(c.n) filter (where c.change = 'regressed') as regressed,
                   sum(c.n) filter (where c.change = 'won') as won, sum(c.n) filter (where c.change = 'lost') as lost
            from {(filtered ? TimelineTables.StayChangeCounts : TimelineTables.StayChangeTotals)} c
            where c.pipeline_id = @pipeline and c.stage = any(@stages) and {(filtered ? ReportFilter.Sql("c") : "true")} and {CountedDays.Within("c")}
            group by c.stage
            union all
            {string.Join(" union all ", DayParts.Select(p => $"select stage, {Counts} from ({Stays(p.Since, p.Until)}) x group by stage"))}) x on x.stage = s.stage
        group by s.stage, s.n order by s.n
        """;

    /// <summary>The parts of a day at either end of the window, outside its whole days, read from rows (<see cref="CountedDays.DayPartsOf"/>).</summary>
    private static readonly (string Since, string Until)[] DayParts = CountedDays.DayPartsOf("@since", "@until");

    /// <summary>SQL: the instant <paramref name="column"/> lies in one of <see cref="DayParts"/>.</summary>
    private static string InDayParts(string column) => $"({string.Join(" or ", DayParts.Select(p => $"({column} >= {p.Since} and {column} < {p.Until})"))})";

    // Wins and losses in the window from the interval counts (the closed intervals begun on its whole days), and from the
    // intervals over the parts of a day at either end.
    private static readonly string CountedClosedSql = $"""
        select status, sum(n)::bigint as n, sum(amount) as amount, null::text[] as deals from (
            select c.status, c.began as n, c.began_amount as amount from {TimelineTables.IntervalCounts} c
            where c.pipeline_id = @pipeline and c.status <> 'open' and {ReportFilter.Sql("c")} and {CountedDays.Within("c")}
            union all
            select i.status, 1, i.amount from {TimelineTables.DealIntervals} i
            where i.pipeline_id = @pipeline and i.status <> 'open' and {ReportFilter.Sql("i")}
              and {InDayParts("i.valid_from")}) x
        group by status having sum(n) <> 0
        """;

    // Wins and losses in the window, at the amount they closed with: a closed deal's intervals begin only with its closing.
    private static string ClosedSql(bool explain) => $"""
        select i.status, count(*) as n, coalesce(sum(i.amount), 0) as amount, {DealLists.When(explain, "array_agg(i.deal_id order by i.deal_id)")} as deals
        from {TimelineTables.DealIntervals} i
        where i.pipeline_id = @pipeline and i.valid_from >= @since and i.valid_from < @until and i.status <> 'open' and {ReportFilter.Sql("i")}
        group by i.status
        """;

    // Each interval against the one before it (the deal's versions count its activities too, so not always one less: the
    // previous version alone missed three in five of a month's changes at a million demo deals).
    private static readonly string Amounts = $"""
        select i.deal_id, i.stage, p.amount as amount_before, i.amount, i.valid_from
        from {TimelineTables.DealIntervals} i
        cross join lateral (
            select p.amount from {TimelineTables.DealIntervals} p where p.deal_id = i.deal_id and p.version < i.version order by p.version desc limit 1) p
        where i.pipeline_id = @pipeline and i.valid_from >= @since and i.valid_from < @until and i.amount <> p.amount and {ReportFilter.Sql("i")}
        """;

    // The same from the changes of amount the intervals began, kept with the amount before (by their own index).
    private static readonly string CountedAmounts = $"""
        select i.deal_id, i.stage, i.previous_amount as amount_before, i.amount, i.valid_from
        from {TimelineTables.AmountChanges} i
        where i.pipeline_id = @pipeline and i.valid_from >= @since and i.valid_from < @until and {ReportFilter.Sql("i")}
        """;

    /// <summary>The page of <paramref name="amounts"/> asked for, in the order they happened.</summary>
    private static string PageOf(string amounts) => $"{amounts} order by i.valid_from, i.deal_id offset @offset limit @limit";

    private static string TotalOf(string amounts) => $"select count(*) as total from ({amounts}) a";

    // The same total from the counts of the window's whole days, and the changes over the parts of a day at either end.
    private static readonly string CountedTotal = $"""
        select (select coalesce(sum(c.n), 0) from {TimelineTables.AmountChangeCounts} c
                where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")} and {CountedDays.Within("c")})
             + (select count(*) from {TimelineTables.AmountChanges} i where i.pipeline_id = @pipeline and {ReportFilter.Sql("i")}
                and {InDayParts("i.valid_from")})::bigint as total
        """;

    public static async Task<ChangesReport> RunAsync(ReportDatabase db, ChangesQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        void Parameters(Npgsql.NpgsqlCommand c)
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "since", q.Since);
            ReportDatabase.Add(c, "until", q.Until);
            c.Parameters.AddWithValue("stages", stageOrder.ToArray());
            q.Filter.AddParameters(c);
            CountedDays.AddWholeDaysInside(c, q.Since, q.Until, q.Zone);
            c.Parameters.AddWithValue("offset", (long)(q.Page - 1) * q.PageSize);
            c.Parameters.AddWithValue("limit", q.PageSize);
        }

        var counted = q.Countable && await db.CountedInAsync(q.Zone, ct);
        var stages = await db.QueryAsync(counted ? CountedStagesSql(!q.Filter.SelectsAll) : StagesSql(q.Explain), Parameters, r =>
        {
            long Count(string name) => ReportDatabase.Column<long>(r, name);
            return new StageChanges(
                ReportDatabase.Column<string>(r, "stage"), Count("entered"), Count("exited"), Count("advanced"), Count("regressed"), Count("won"), Count("lost"),
                Count("entered") - Count("exited"), q.Explain ? ReportDatabase.Strings(r, "entered_deals") : null, q.Explain ? ReportDatabase.Strings(r, "exited_deals") : null);
        }, ct);
        var closed = (await db.QueryAsync(counted ? CountedClosedSql : ClosedSql(q.Explain), Parameters, r => (
                Status: ReportDatabase.Column<string>(r, "status"),
                Changes: new ClosedChanges(ReportDatabase.Column<long>(r, "n"), ReportDatabase.Column<decimal>(r, "amount"), q.Explain ? ReportDatabase.Strings(r, "deals") : null)), ct))
            .ToDictionary(c => c.Status, c => c.Changes);
        var amountChanges = counted ? CountedAmounts : Amounts;
        var amounts = await db.QueryAsync(PageOf(amountChanges), Parameters, r => new AmountChange(
            ReportDatabase.Column<string>(r, "deal_id"), ReportDatabase.Column<string>(r, "stage"), ReportDatabase.Column<decimal>(r, "amount_before"),
            ReportDatabase.Column<decimal>(r, "amount"), ReportDatabase.Column<DateTimeOffset>(r, "valid_from")), ct);
        var total = (await db.QueryAsync(counted ? CountedTotal : TotalOf(amountChanges), Parameters, r => ReportDatabase.Column<long>(r, "total"), ct)).Single();
        var none = new ClosedChanges(0, 0, q.Explain ? [] : null);
        return new ChangesReport(q.Since, q.Until, stages, closed.GetValueOrDefault("won") ?? none, closed.GetValueOrDefault("lost") ?? none, amounts, q.Page, q.PageSize, total);
    }
}
