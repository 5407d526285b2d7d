using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    // What the activity counts take from an activity: it is written once and its counted fields never change.
    private const string CountedOfActivity = "t.pipeline_id, t.rep, t.team, t.kind, t.duration_minutes, t.occurred_at, t.deal_id";

    /// <summary>Writes the activities a batch logged (each once) and counts them (<see cref="ActivityCounts"/>).</summary>
    public string UpsertActivities { get; } =
        WriteCounted(counting, TimelineRows.UpsertMany(tables.Activities), CountedOfActivity, Chained(ActivityCounts(calendar, tables, written: true)));

    /// <summary>The activity counts as a catch-up sums them in memory (<see cref="RowCounters"/>): each row carries its day.</summary>
    public CounterAdd SumActivityCounts { get; } = AddDated(tables.ActivityCounts, calendar.Happened);

    /// <summary>The reps' days' deals as a rebuild sums them in memory, deal by deal (<see cref="RowCounters"/>).</summary>
    public CounterAdd SumRepDayDeals { get; } = AddMany(tables.RepDayDeals);

    /// <inheritdoc cref="SumRepDayDeals"/>
    public CounterAdd SumRepDayTeamDeals { get; } = AddMany(tables.RepDayTeamDeals);

    /// <summary>Activities a batch logged, copied while the counters are left to a recount (<see cref="BatchCopy"/>).</summary>
    public CopiedRows CopyActivities { get; } = CopiedRows.Straight(tables.Activities);

    /// <summary>The counts of the activities <c>r</c> on their day, and in the rep's day's deals (<see cref="RepDayDeals"/>), all of them and per team.</summary>
    private static IReadOnlyList<CountPart> ActivityCounts(CounterCalendar calendar, TimelineTableSet tables, bool written)
    {
        return
        [
            RepDayDeals(calendar, tables, tables.RepDayDeals, byTeam: false, written),
            RepDayDeals(calendar, tables, tables.RepDayTeamDeals, byTeam: true, written),
            new(tables.ActivityCounts, $"""
                insert into {tables.ActivityCounts.Identifier.QualifiedName} as c
                {DaysInSpans($"""
                    select coalesce(r.pipeline_id, '') as pipeline_id, {calendar.DayOf("r.occurred_at")} as day, r.rep, coalesce(r.team, '') as team, r.kind,
                           count(*) as n, coalesce(sum(r.duration_minutes), 0) as minutes
                    from r group by 1, 2, 3, 4, 5
                    """, ["rep", "team", "kind"], ["n", "minutes"])}
                {Summing(tables.ActivityCounts, intoEmpty: !written)}
                """),
        ];
    }

    /// <summary>Adds a batch's net effort counts (<see cref="EffortCount"/>) to the day of each stage's first entry.</summary>
    public CounterAdd AddEffortCounts { get; } = AddDated(tables.EffortCounts, calendar.Happened);

    /// <summary>Adds a batch's net dated effort counts (<see cref="DatedEffortCount"/>), each from its instant on.</summary>
    public CounterAdd AddEffortDatedCounts { get; } = AddDated(tables.EffortDatedCounts, calendar.Bucket);

    /// <summary>Adds the same rows to <see cref="TimelineTableSet.EffortDatedTotals"/> (their filter attributes left out).</summary>
    public CounterAdd AddEffortDatedTotals { get; } = AddDated(tables.EffortDatedTotals, calendar.Bucket);

    /// <summary>
    /// Activities dated before their deal's latest event when projected (their ids the text array <paramref name="ids"/>):
    /// the stage of the deal's open interval then, if any.
    /// </summary>
    public string StampBackdatedActivities(string ids) =>
        $"update {tables.Activities.Identifier.QualifiedName} a set stage = i.stage from {tables.DealIntervals.Identifier.QualifiedName} i " +
        $"where a.activity_id = any({ids}) and i.deal_id = a.deal_id and i.status = 'open' and i.period @> a.occurred_at";

    private readonly string restamp = $"update {tables.Activities.Identifier.QualifiedName} a set stage = p.stage from {TimelineRows.Parameters("stage text", "deal_id text", "from_at timestamptz")} " +
        "where a.deal_id = p.deal_id and a.occurred_at >= p.from_at";

    /// <summary>A deal event dated at or before activities written by earlier batches: from its time on they stand in <paramref name="stage"/>.</summary>
    public void RestampActivities(Marten.IDocumentOperations operations, string dealId, DateTimeOffset from, string? stage) =>
        TimelineRows.QueueNamed(operations, restamp, new { Stage = stage, DealId = dealId, FromAt = from });

    /// <summary>
    /// A rep's day's deals (per team of the activities when <paramref name="byTeam"/>), each deal once: a deal the rep worked
    /// on that day counts unless, when the rows are newly <paramref name="written"/>, an activity of theirs on it that day
    /// (of that team) was written before (a probe per deal with a limit, so the planner cannot turn it into a scan of every
    /// activity each batch). Not newly written, they are every activity, counted into empty counters (<see cref="Summing"/>).
    /// </summary>
    private static CountPart RepDayDeals(CounterCalendar calendar, TimelineTableSet tables, Table counter, bool byTeam, bool written)
    {
        var touched = byTeam ? "touched_by_team" : "touched";
        var earlier = written
            ? $"""
              left join lateral (
                  select 1 as hit from {tables.Activities.Identifier.QualifiedName} a where a.deal_id = t.deal_id and a.rep = t.rep{(byTeam ? " and coalesce(a.team, '') = t.team" : "")}
                    and a.occurred_at >= {calendar.MidnightOf("t.day")} and a.occurred_at < {calendar.MidnightOf("(t.day + 1)")} limit 1) earlier on true
              where earlier.hit is null
              """
            : "";
        return new(counter, $"""
            insert into {counter.Identifier.QualifiedName} as c
            select t.pipeline_id, t.day, t.rep{(byTeam ? ", t.team" : "")}, count(*) from {touched} t
            {earlier}
            group by {(byTeam ? "1, 2, 3, 4" : "1, 2, 3")}
            {Summing(counter, intoEmpty: !written)}
            """, Ctes: $"""
            , {touched} as (
                select distinct r.pipeline_id, r.rep{(byTeam ? ", coalesce(r.team, '') as team" : "")}, r.deal_id, {calendar.DayOf("r.occurred_at")} as day from r where r.deal_id is not null)
            """);
    }
}
