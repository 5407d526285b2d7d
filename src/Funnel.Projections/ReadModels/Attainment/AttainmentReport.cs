using Funnel.Domain;
using Funnel.Domain.Targets;
using Npgsql;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record AttainmentQuery(string PipelineId, TargetPeriod Period, DateTimeOffset AsOf, TimeZoneInfo Zone, TargetsDefined? Targets, string? Team, string? Owner, bool Explain = false);

/// <summary>With explain=true, the deals behind a line's numbers: won in the period, captured in it, and open and expected to close in it.</summary>
public sealed record AttainmentDeals(string[] Won, string[] Captured, string[] Open);

/// <summary>One measure against its target: what was achieved in the period by asOf, what remains, and how that compares with a linear path.</summary>
public sealed record Measure(decimal? Target, decimal Achieved, decimal? Gap, decimal? Pace)
{
    /// <summary>Pace: achieved ÷ (target × the share of the period elapsed); 1 is on the linear path, more is ahead.</summary>
    public static Measure Of(decimal? target, decimal achieved, decimal elapsed) => new(
        target, achieved, target - achieved, target is > 0 && elapsed > 0 ? Math.Round(achieved / (target.Value * elapsed), 6) : null);
}

/// <summary>
/// One level of the tree (the organisation, a team, a rep): won amount, won count, new deals and activities against their
/// targets, and the weighted open pipeline expected to close in the period; coverage = that pipeline ÷ the won amount still to go.
/// A team's activities are its reps' (in the tree); the organisation's, every activity the pipeline's reports count.
/// </summary>
public sealed record AttainmentLine(string Level, string Name, string? Team, Measure WonAmount, Measure WonCount, Measure NewDeals, Measure Activities, decimal WeightedOpen, decimal? Coverage,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] AttainmentDeals? Deals = null);

public sealed record AttainmentReport(string Period, DateOnly Start, DateOnly End, DateTimeOffset AsOf, decimal Elapsed, DateTimeOffset? TargetsDefinedAt, IReadOnlyList<AttainmentLine> Lines) : IReportAnswer
{
    // Per owner and team (as the deal had them then): wins in the period by asOf (a win begins the deal's won interval),
    // deals captured in it (their first interval), and the open deals at asOf expected to close in it, weighted by the
    // probabilities in force at asOf.
    private static string Sql(bool explain) => $"""
        with won as (
            select owner, team, count(*) as n, sum(amount) as amount, {DealLists.When(explain, "array_agg(deal_id)")} as deals from {TimelineTables.DealIntervals}
            where pipeline_id = @pipeline and status = 'won' and valid_from >= @start and valid_from < @end and valid_from <= @asOf group by owner, team
        ), captured as (
            select owner, team, count(*) as n, {DealLists.When(explain, "array_agg(deal_id)")} as deals from {TimelineTables.DealIntervals}
            where pipeline_id = @pipeline and version = 1 and valid_from >= @start and valid_from < @end and valid_from <= @asOf group by owner, team
        ), v as ({IntervalsInForce.Open}), p as (
            {PipelineStages.Probabilities("@pipeline", "@asOf")}
        ), open as (
            select v.owner, v.team, sum(v.amount * coalesce(p.probability, 0)) as weighted, {DealLists.When(explain, "array_agg(v.deal_id)")} as deals
            from v left join p on p.id = v.stage
            where v.expected_close >= @startDay and v.expected_close < @endDay group by v.owner, v.team
        )
        {Joined}
        """;

    // The activities the pipeline counts, logged in the period by asOf, per rep.
    private static readonly string ActivitySql = $"""
        select a.rep, count(*) as n from {TimelineTables.Activities} a
        where {ActivityCountsReport.OfPipeline("a")} and a.occurred_at >= @start and a.occurred_at < @end and a.occurred_at <= @asOf group by a.rep
        """;

    // The same from the counters: wins and captures begun on the period's whole days before asOf's day (interval counts),
    // the open pipeline by the month it is expected to close (open close counts) and the activities per day (activity
    // counts); the part of asOf's own day up to it from the rows.
    private static readonly string CountedSql = $"""
        with won as (
            select owner, team, sum(n) as n, sum(amount) as amount, null::text[] as deals from (
                select c.owner, nullif(c.team, '') as team, c.began as n, c.began_amount as amount from {TimelineTables.IntervalCounts} c
                where c.pipeline_id = @pipeline and c.status = 'won' and {CountedDays.Within("c")}
                union all
                select i.owner, i.team, 1, i.amount from {TimelineTables.DealIntervals} i
                where i.pipeline_id = @pipeline and i.status = 'won' and i.valid_from >= @since and i.valid_from <= @asOf and i.valid_from < @end
            ) x group by owner, team having sum(n) <> 0
        ), captured as (
            select owner, team, sum(n) as n, null::text[] as deals from (
                select c.owner, nullif(c.team, '') as team, c.captured as n from {TimelineTables.IntervalCounts} c
                where c.pipeline_id = @pipeline and {CountedDays.Within("c")}
                union all
                select i.owner, i.team, 1 from {TimelineTables.DealIntervals} i
                where i.pipeline_id = @pipeline and i.version = 1 and i.valid_from >= @since and i.valid_from <= @asOf and i.valid_from < @end
            ) x group by owner, team having sum(n) <> 0
        ), p as (
            {PipelineStages.Probabilities("@pipeline", "@asOf")}
        ), open as (
            select x.owner, x.team, sum(x.amount * coalesce(p.probability, 0)) as weighted, null::text[] as deals from (
                select c.stage, c.owner, nullif(c.team, '') as team, {CountedDays.Signed("c", "c.amount")} from {TimelineTables.OpenCloseCounts} c
                where c.pipeline_id = @pipeline and c.close_month >= @startDay and c.close_month < @endDay and {CountedDays.StateBefore("c")}
                union all
                select i.stage, i.owner, i.team, i.amount from {TimelineTables.DealIntervals} i
                where i.pipeline_id = @pipeline and i.status = 'open' and i.expected_close >= @startDay and i.expected_close < @endDay and i.valid_from > @dayStart and i.valid_from <= @asOf
                union all
                select i.stage, i.owner, i.team, -i.amount from {TimelineTables.DealIntervals} i
                where i.pipeline_id = @pipeline and i.status = 'open' and i.expected_close >= @startDay and i.expected_close < @endDay and i.valid_to > @dayStart and i.valid_to <= @asOf
            ) x left join p on p.id = x.stage group by x.owner, x.team
        )
        {Joined}
        """;

    // Wins, captures and the open pipeline side by side per owner and team.
    private const string Joined = """
        select coalesce(w.owner, c.owner, o.owner) as owner, coalesce(w.team, c.team, o.team) as team,
               coalesce(w.n, 0) as won_count, coalesce(w.amount, 0) as won_amount, coalesce(c.n, 0) as new_deals, coalesce(o.weighted, 0) as weighted,
               w.deals as won_deals, c.deals as captured_deals, o.deals as open_deals
        from won w
        full join captured c on c.owner = w.owner and c.team is not distinct from w.team
        full join open o on o.owner = coalesce(w.owner, c.owner) and o.team is not distinct from coalesce(w.team, c.team)
        """;

    // The activities the pipeline counts per rep, from the activity counts of the period's whole days before asOf's day and
    // the rows of that day up to asOf (the reps of its deals: those counted under the pipeline by their current owner).
    private static readonly string CountedActivitySql = $"""
        with owners as (select distinct owner from ({ActivityCountsReport.CountedOwners}) o)
        select rep, sum(n)::bigint as n from (
            select c.rep, c.n from {TimelineTables.ActivityCounts} c
            where {ActivityCountsReport.CountedOfPipeline("c")} and {CountedDays.Within("c")}
            union all
            select a.rep, 1 from {TimelineTables.Activities} a
            where (a.pipeline_id = @pipeline or (a.pipeline_id is null and a.rep in (select owner from owners)))
              and a.occurred_at >= @since and a.occurred_at <= @asOf and a.occurred_at < @end
        ) x group by rep
        """;

    private sealed record Row(string Owner, string? Team, long WonCount, decimal WonAmount, long NewDeals, decimal Weighted, string[] WonDeals, string[] CapturedDeals, string[] OpenDeals);

    public static async Task<AttainmentReport> RunAsync(ReportDatabase db, AttainmentQuery q, CancellationToken ct)
    {
        var counted = !q.Explain && await db.CountedInAsync(q.Zone, ct);
        var asOfDay = BusinessTime.DayIn(q.AsOf, q.Zone);
        void Window(NpgsqlCommand c)
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "asOf", q.AsOf);
            var (start, dayStart) = (q.Period.StartIn(q.Zone), BusinessTime.MidnightIn(asOfDay, q.Zone));
            ReportDatabase.Add(c, "start", start);
            ReportDatabase.Add(c, "end", q.Period.EndIn(q.Zone));
            ReportDatabase.Add(c, "dayStart", dayStart);
            // Where the counted days end and rows are read: a value, so the planner sees how short that range is.
            ReportDatabase.Add(c, "since", start > dayStart ? start : dayStart);
            CountedDays.AddWithin(c, q.Period.Start, asOfDay < q.Period.End ? asOfDay : q.Period.End);
            CountedDays.AddStateBefore(c, asOfDay);
        }

        var rows = await db.QueryAsync(counted ? CountedSql : Sql(q.Explain), c =>
        {
            Window(c);
            ReportDatabase.Add(c, "knownAt", (DateTimeOffset?)null);
            PipelineStages.AddParameters(c, current: false, observed: null);
            c.Parameters.AddWithValue("startDay", q.Period.Start);
            c.Parameters.AddWithValue("endDay", q.Period.End);
        }, r => new Row(
            ReportDatabase.Column<string>(r, "owner"), ReportDatabase.Column<string?>(r, "team"), ReportDatabase.Column<long>(r, "won_count"),
            ReportDatabase.Column<decimal>(r, "won_amount"), ReportDatabase.Column<long>(r, "new_deals"), ReportDatabase.Column<decimal>(r, "weighted"),
            ReportDatabase.Strings(r, "won_deals"), ReportDatabase.Strings(r, "captured_deals"), ReportDatabase.Strings(r, "open_deals")), ct);

        var activities = (await db.QueryAsync(counted ? CountedActivitySql : ActivitySql, Window, r => (Rep: ReportDatabase.Column<string>(r, "rep"), N: ReportDatabase.Column<long>(r, "n")), ct)).ToDictionary(a => a.Rep, a => a.N);

        var elapsed = q.Period.ElapsedAt(q.AsOf, q.Zone);
        var tree = q.Targets?.Tree ?? TargetTree.Empty;
        AttainmentLine Line(string level, string name, string? team, Goals goals, IEnumerable<Row> mine, long logged)
        {
            var list = mine.ToList();
            var (amount, weighted) = (list.Sum(r => r.WonAmount), list.Sum(r => r.Weighted));
            var remaining = goals.WonAmount - amount;
            return new AttainmentLine(level, name, team, Measure.Of(goals.WonAmount, amount, elapsed), Measure.Of(goals.WonCount, list.Sum(r => r.WonCount), elapsed),
                Measure.Of(goals.NewDeals, list.Sum(r => r.NewDeals), elapsed), Measure.Of(goals.Activities, logged, elapsed), weighted, remaining > 0 ? Math.Round(weighted / remaining.Value, 6) : null,
                q.Explain ? new AttainmentDeals(Ids(list.SelectMany(r => r.WonDeals)), Ids(list.SelectMany(r => r.CapturedDeals)), Ids(list.SelectMany(r => r.OpenDeals))) : null);
        }

        var lines = new List<AttainmentLine>();
        if (q.Team is null && q.Owner is null)
        {
            lines.Add(Line("organisation", "organisation", null, tree.Organisation, rows, activities.Values.Sum()));
        }

        foreach (var team in tree.Teams.Where(t => q.Team is null || t.Team == q.Team))
        {
            if (q.Owner is null)
            {
                lines.Add(Line("team", team.Team, team.Team, team.Targets, rows.Where(r => r.Team == team.Team), team.Reps.Sum(rep => activities.GetValueOrDefault(rep.Rep))));
            }

            lines.AddRange(team.Reps.Where(rep => q.Owner is null || rep.Rep == q.Owner).Select(rep => Line("rep", rep.Rep, team.Team, rep.Targets, rows.Where(r => r.Owner == rep.Rep), activities.GetValueOrDefault(rep.Rep))));
        }

        static string[] Ids(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal)];
        return new AttainmentReport(q.Period.Text, q.Period.Start, q.Period.End, q.AsOf, elapsed, q.Targets?.OccurredAt, lines);
    }
}
