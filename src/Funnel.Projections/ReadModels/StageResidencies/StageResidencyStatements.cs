using Marten;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Adds a batch's net open stay counts (<see cref="OpenStayCount"/>) to the day each stay was entered.</summary>
    public CounterAdd AddOpenStayCounts { get; } = AddDated(tables.OpenStayCounts, calendar.Happened);

    /// <summary>Adds the same rows to <see cref="TimelineTableSet.OpenStayTotals"/> (their filter attributes left out).</summary>
    public CounterAdd AddOpenStayTotals { get; } = AddDated(tables.OpenStayTotals, calendar.Happened);

    /// <summary>Adds a batch's net stay changes (<see cref="StayChangeCount"/>) to the day each happened.</summary>
    public CounterAdd AddStayChangeCounts { get; } = AddDated(tables.StayChangeCounts, calendar.Happened);

    /// <summary>Adds the same rows to <see cref="TimelineTableSet.StayChangeTotals"/> (their filter attributes left out).</summary>
    public CounterAdd AddStayChangeTotals { get; } = AddDated(tables.StayChangeTotals, calendar.Happened);

    /// <summary>Adds a batch's net ended stays (<see cref="EndedStayCount"/>) to the day each ended, by whole days of dwell.</summary>
    public CounterAdd AddEndedStayTotals { get; } = AddDated(tables.EndedStayTotals, calendar.Bucket);

    /// <summary>Adds the same rows to <see cref="TimelineTableSet.EndedStayHourTotals"/>, by whole hours of dwell.</summary>
    public CounterAdd AddEndedStayHourTotals { get; } = AddDated(tables.EndedStayHourTotals, calendar.Bucket);

    /// <summary>Adds a batch's net stay entries and ends (<see cref="StayEntryCount"/>) to the day of each, by the day of entry.</summary>
    public CounterAdd AddStayEntryTotals { get; } = AddDated(tables.StayEntryTotals, calendar.Bucket, new("entered", "entered_at", calendar.Happened));

    /// <summary>Adds the same rows to <see cref="TimelineTableSet.StayEntryMonthTotals"/>, by the month of entry.</summary>
    public CounterAdd AddStayEntryMonthTotals { get; } = AddDated(tables.StayEntryMonthTotals, calendar.Bucket, new("entered", "entered_at", calendar.MonthHappened));

    // What the dwell counts take from a residency: its dwell once it has ended, under the deal's current attributes.
    private const string CountedOfStay = "t.pipeline_id, t.stage, t.days, t.owner, t.team, t.region, t.product";

    // Ends a residency and counts its dwell in its day bucket.
    private readonly string exitResidency = WriteCounted(counting, $"""
        update {tables.StageResidencies.Identifier.QualifiedName} t
        set exited_at = p.exited_at, exit_kind = p.exit_kind, next_stage = p.next_stage, exited_seq = p.exited_seq,
            days = extract(epoch from (p.exited_at - t.entered_at)) / 86400
        from {TimelineRows.Parameters("exited_at timestamptz", "exit_kind text", "next_stage text", "exited_seq bigint", "deal_id text", "n integer")}
        where t.deal_id = p.deal_id and t.n = p.n
        """, CountedOfStay, Chained(DwellCounts(tables, "1", intoEmpty: false)));

    // Moves a deal's ended stays from the buckets of its old filter attributes to its new ones: reports filter by a deal's current attributes.
    private readonly string moveDwell = $"""
        with r as (
            select r.pipeline_id, r.stage, r.days, k.owner, k.team, k.region, k.product, k.sign
            from {tables.StageResidencies.Identifier.QualifiedName} r
                 cross join {TimelineRows.Parameters("deal_id text", "before jsonb", "after jsonb")}
                 cross join lateral (select a.*, -1 as sign from jsonb_to_record(p.before) as a(owner text, team text, region text, product text)
                                     union all select a.*, 1 from jsonb_to_record(p.after) as a(owner text, team text, region text, product text)) as k
            where r.deal_id = p.deal_id and r.days is not null)
        {Chained(DwellCounts(tables, "r.sign", intoEmpty: false))}
        """;

    /// <summary>Writes the residencies a batch began or ended, and counts the ended ones' dwell.</summary>
    public string UpsertResidencies { get; } = UpsertResidenciesMany(tables, calendar, counting);

    /// <summary>Ends a residency written by an earlier batch and counts its dwell.</summary>
    public void ExitResidency(IDocumentOperations operations, string dealId, int n, DateTimeOffset exitedAt, string exitKind, string nextStage, long exitedSeq) =>
        TimelineRows.QueueNamed(operations, exitResidency, new { ExitedAt = exitedAt, ExitKind = exitKind, NextStage = nextStage, ExitedSeq = exitedSeq, DealId = dealId, N = n });

    /// <summary>Moves the deal's counted dwell from its old filter attributes' buckets to its new ones ('' for none).</summary>
    public void MoveDwell(IDocumentOperations operations, string dealId, DealAttributes before, DealAttributes after)
    {
        if (counting)
        {
            TimelineRows.QueueNamed(operations, moveDwell, new { DealId = dealId, Before = Keys(before), After = Keys(after) });
        }
    }

    /// <summary>A deal's filter attributes as the counters key them ('' for none).</summary>
    private static object Keys(DealAttributes a) => new { a.Owner, Team = a.Team ?? "", Region = a.Region ?? "", Product = a.Product ?? "" };

    /// <summary>Writes residencies (their days worked out as the exit statement does) and counts the ended ones in their day buckets.</summary>
    private static string UpsertResidenciesMany(TimelineTableSet tables, CounterCalendar calendar, bool counting)
    {
        var table = tables.StageResidencies;
        var others = table.Columns.Select(c => c.Name).Where(c => !table.PrimaryKeyColumns.Contains(c)).Select(c => $"{c} = excluded.{c}");
        return WriteCounted(counting, $"""
            {InsertResidencies(table, calendar, $"jsonb_populate_recordset(null::{table.Identifier.QualifiedName}, ^::jsonb)")}
            on conflict ({string.Join(", ", table.PrimaryKeyColumns)}) do update set {string.Join(", ", others)}
            """, CountedOfStay, Chained(DwellCounts(tables, "1", intoEmpty: false)));
    }

    /// <summary>Residencies a batch began or ended, copied while the counters are left to a recount (<see cref="BatchCopy"/>).</summary>
    public CopiedRows CopyResidencies { get; } = new(TimelineTables.StageResidencies, TimelineRows.Fields(tables.StageResidencies), staged => InsertResidencies(tables.StageResidencies, calendar, staged));

    /// <summary>
    /// Inserts the residencies of <paramref name="source"/> (a from-item with the table's columns), their days worked out
    /// as the exit statement does and their day of entry as the counters' calendar cuts it.
    /// </summary>
    private static string InsertResidencies(Weasel.Postgresql.Tables.Table table, CounterCalendar calendar, string source)
    {
        var columns = table.Columns.Select(c => c.Name).ToList();
        var values = columns.Select(c => c switch
        {
            "days" => "extract(epoch from (x.exited_at - x.entered_at)) / 86400",
            "entered_day" => calendar.DayOf("x.entered_at"),
            _ => $"x.{c}",
        });
        return $"insert into {table.Identifier.QualifiedName} as t ({string.Join(", ", columns)}) select {string.Join(", ", values)} from {source} x";
    }

    /// <summary>
    /// The counts of the ended stays among the rows <c>r</c> (pipeline, stage, days and filter attributes), each <paramref name="sign"/>
    /// times, in their day and hour buckets, with and without their filter attributes; into empty counters when
    /// <paramref name="intoEmpty"/> (<see cref="Summing"/>).
    /// </summary>
    private static IReadOnlyList<CountPart> DwellCounts(TimelineTableSet tables, string sign, bool intoEmpty) =>
        [.. DwellCounters(tables).Select(t => new CountPart(t, InsertDwell(t, sign, intoEmpty)))];

    private static IReadOnlyList<Table> DwellCounters(TimelineTableSet tables) => [tables.DwellHourCounts, tables.DwellHourTotals, tables.DwellTotals, tables.DwellCounts];

    /// <summary>
    /// Counts every ended stay into the emptied dwell counters in one statement: the stays grouped once by their day, hour
    /// and attributes (<c>g</c>), each counter summed from those groups. At a million deals, one statement a counter, each
    /// grouping all 2.6 million stays again, took a minute of a rebuild's last ones.
    /// </summary>
    private static string RecountDwell(TimelineTableSet tables)
    {
        var keys = DwellCounters(tables).SelectMany(t => t.PrimaryKeyColumns).Distinct().ToList();
        return $"""
            with g as materialized (
                select {string.Join(", ", keys.Select(k => $"{StayKey(k)} as {k}"))}, count(*) as n, sum(days) as sum_days
                from {tables.StageResidencies.Identifier.QualifiedName} where days is not null
                group by {string.Join(", ", Enumerable.Range(1, keys.Count))})
            {Chained([.. DwellCounters(tables).Select(t => new CountPart(t, AddMany(t).IntoEmpty("g")))])}
            """;
    }

    /// <summary>A dwell counter's key column as a stay's row gives it: its whole days or hours of dwell, '' for an attribute it lacks.</summary>
    private static string StayKey(string column) => column switch
    {
        "day" => "floor(days)::integer",
        "hour" => "floor(days * 24)::integer",
        "team" or "region" or "product" => $"coalesce({column}, '')",
        _ => column,
    };

    /// <summary>
    /// Adds the ended stays among the rows <c>r</c> to one dwell counter, its columns worked out from theirs by name. It skips
    /// what nets to nothing: a deal's moved attributes take from one key what they give another, and the totals see both.
    /// </summary>
    private static string InsertDwell(Table counts, string sign, bool intoEmpty)
    {
        var columns = counts.Columns.Select(c => c.Name).ToList();
        var values = columns.Select(c => c switch
        {
            "n" => $"sum({sign})",
            "sum_days" => $"sum({sign} * days)",
            _ => StayKey(c),
        });
        // The keys lead each dwell counter's columns, so they are the first positions.
        var keys = Enumerable.Range(1, counts.PrimaryKeyColumns.Count);
        return $"""
            insert into {counts.Identifier.QualifiedName} as c ({string.Join(", ", columns)})
            select {string.Join(", ", values)} from r where days is not null
            group by {string.Join(", ", keys)} having sum({sign}) <> 0
            {Summing(counts, intoEmpty)}
            """;
    }
}
