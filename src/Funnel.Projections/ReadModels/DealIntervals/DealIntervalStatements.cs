using Marten;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    // What the interval counts take from an interval: it is written once (begun, perhaps closed) and closed at most once.
    private const string CountedOfInterval = "t.pipeline_id, t.version, t.status, t.stage, t.owner, t.team, t.region, t.product, t.amount, t.expected_close, t.valid_from, t.valid_to, t.recorded_at, t.closed_recorded_at, t.move, t.previous_owner";

    private readonly string closeInterval = WriteCounted(counting, $"""
        update {tables.DealIntervals.Identifier.QualifiedName} t
        set valid_to = p.valid_to, period = tstzrange(t.valid_from, p.valid_to, '[)'), closed_seq = p.closed_seq, closed_recorded_at = p.closed_recorded_at
        from {TimelineRows.Parameters("valid_to timestamptz", "closed_seq bigint", "closed_recorded_at timestamptz", "deal_id text", "version integer")}
        where t.deal_id = p.deal_id and t.version = p.version
        """, CountedOfInterval, Chained(IntervalCounts(calendar, tables, "null::timestamptz", "null::timestamptz", intoEmpty: false)));

    /// <summary>The interval counters as a catch-up sums them in memory (<see cref="RowCounters"/>): each row carries its day.</summary>
    public CounterAdd SumIntervalCounts { get; } = AddDated(tables.IntervalCounts, calendar.Bucket);

    /// <inheritdoc cref="SumIntervalCounts"/>
    public CounterAdd SumKnownIntervalCounts { get; } = AddDated(tables.KnownIntervalCounts, calendar.Bucket);

    /// <inheritdoc cref="SumIntervalCounts"/>
    public CounterAdd SumOpenCloseCounts { get; } = AddDated(tables.OpenCloseCounts, calendar.Bucket);

    /// <inheritdoc cref="SumIntervalCounts"/>
    public CounterAdd SumRepDayMoves { get; } = AddMany(tables.RepDayMoves);

    /// <summary>Counts the handovers a batch began (rows of pipeline_id, at, n and amount) on their day.</summary>
    public CounterAdd AddHandoverCounts { get; } = AddDated(tables.HandoverCounts, calendar.Happened);

    /// <summary>Writes the intervals a batch began (closed in place when the batch also ended them), and counts them.</summary>
    public string UpsertIntervals { get; } =
        WriteCounted(counting, TimelineRows.UpsertMany(tables.DealIntervals), CountedOfInterval, Chained(IntervalCounts(calendar, tables, "r.valid_from", "r.recorded_at", intoEmpty: false)));

    /// <summary>Intervals a batch began, copied while the counters are left to a recount (<see cref="BatchCopy"/>).</summary>
    public CopiedRows CopyIntervals { get; } = CopiedRows.Straight(tables.DealIntervals);

    /// <summary>Writes the changes of amount the batch's new intervals began (<see cref="AmountChangeRow"/>).</summary>
    public string UpsertAmountChanges { get; } = TimelineRows.UpsertMany(tables.AmountChanges);

    /// <summary>The same, copied while the counters are left to a recount.</summary>
    public CopiedRows CopyAmountChanges { get; } = CopiedRows.Straight(tables.AmountChanges);

    /// <summary>Counts the changes of amount a batch's intervals began (rows of pipeline_id, the attributes, at and n) on their day.</summary>
    public CounterAdd AddAmountChangeCounts { get; } = AddDated(tables.AmountChangeCounts, calendar.Happened);

    /// <summary>A batch's changes of amount, as <see cref="AddAmountChangeCounts"/> counts them.</summary>
    public static IEnumerable<object> AmountChangeCountsOf(IEnumerable<AmountChangeRow> changes) =>
        changes.Select(c => new { c.PipelineId, c.Owner, Team = c.Team ?? "", Region = c.Region ?? "", Product = c.Product ?? "", At = c.ValidFrom, N = 1 });

    /// <summary>Every stored change of amount, as <see cref="AmountChangeCountsOf"/> gives a batch's: a from-item naming its rows <c>r</c>.</summary>
    private static string AmountChangesIn(TimelineTableSet tables) =>
        $"(select pipeline_id, owner, coalesce(team, '') as team, coalesce(region, '') as region, coalesce(product, '') as product, 1::bigint as n, valid_from as at from {tables.AmountChanges.Identifier.QualifiedName}) r";

    /// <summary>A batch's handovers, as <see cref="AddHandoverCounts"/> counts them.</summary>
    public static IEnumerable<object> Handovers(IEnumerable<IntervalRow> begun) =>
        begun.Where(i => i.HandoverReason is not null).Select(i => new { i.PipelineId, At = i.ValidFrom, N = 1, i.Amount });

    /// <summary>Every stored handover, as <see cref="Handovers"/> gives a batch's: a from-item naming its rows <c>r</c>.</summary>
    private static string HandoversIn(TimelineTableSet tables) =>
        $"(select pipeline_id, 1::bigint as n, amount, valid_from as at from {tables.DealIntervals.Identifier.QualifiedName} where handover_reason is not null) r";

    /// <summary>The interval counts' keys after the day.</summary>
    private static readonly string[] AttributeNames = ["status", "stage", "owner", "team", "region", "product"];

    /// <summary>An interval's <see cref="AttributeNames"/> as columns of those names: a deal's missing team, region or product keys a counter as ''.</summary>
    private static readonly string Attributes = string.Join(", ", AttributeNames.Select(n => n is "team" or "region" or "product" ? $"coalesce(r.{n}, '') as {n}" : $"r.{n}"));

    /// <summary>
    /// The counts of the intervals <c>r</c> a statement returned, a part a counter (<paramref name="from"/>: their start, or null when only their
    /// end is new): in the interval counts +1 and the amount at the bucket of the start, -1 and minus the amount at that of
    /// the end, and on the calendar day of the start one begun (its amount, and whether it was the deal's capture); the
    /// open ones with an expected close also in the open close counts, by the month they are expected to close; in the
    /// known interval counts +1 at the bucket of <paramref name="recorded"/> (when the row is new) and -1 at that of its end's
    /// recording; a new row's move on its day, for its owner and (handed out) for the owner before; into empty counters
    /// when <paramref name="intoEmpty"/> (<see cref="Summing"/>).
    /// </summary>
    private static IReadOnlyList<CountPart> IntervalCounts(CounterCalendar calendar, TimelineTableSet tables, string from, string recorded, bool intoEmpty)
    {
        return
        [
            new(tables.RepDayMoves, $"""
                insert into {tables.RepDayMoves.Identifier.QualifiedName} as c
                select m.rep, {calendar.DayOf("r.valid_from")}, m.move, count(*), sum(r.amount)
                from r cross join lateral (values (r.owner, r.move), (nullif(r.previous_owner, r.owner), '{DealMove.HandedOut}')) as m(rep, move)
                where {from} is not null and m.rep is not null and m.move is not null
                group by 1, 2, 3
                {Summing(tables.RepDayMoves, intoEmpty)}
                """),
            new(tables.IntervalCounts, $"""
                insert into {tables.IntervalCounts.Identifier.QualifiedName} as c
                {DaysInSpans($"""
                    select r.pipeline_id, b.day, {Attributes}, sum(b.sign) as n, sum(b.sign * r.amount) as amount, sum(b.began) as began,
                           sum(b.began * r.amount) as began_amount, sum(b.began * (r.version = 1)::int) as captured
                    from r cross join lateral (values ({calendar.BucketOf(from)}, 1, 0), ({calendar.BucketOf("r.valid_to")}, -1, 0), ({calendar.DayOf(from)}, 0, 1)) as b(day, sign, began)
                    where b.day is not null
                    group by 1, 2, 3, 4, 5, 6, 7, 8
                    """, AttributeNames, ["n", "amount", "began", "began_amount", "captured"])}
                having sum(d.n) <> 0 or sum(d.amount) <> 0 or sum(d.began) <> 0
                {Summing(tables.IntervalCounts, intoEmpty)}
                """),
            new(tables.KnownIntervalCounts, $"""
                insert into {tables.KnownIntervalCounts.Identifier.QualifiedName} as c
                {DaysInSpans($"""
                    select r.pipeline_id, b.day, {Attributes}, sum(b.sign) as n, sum(b.sign * r.amount) as amount
                    from r cross join lateral (values ({calendar.BucketOf(recorded)}, 1), ({calendar.BucketOf("r.closed_recorded_at")}, -1)) as b(day, sign)
                    where b.day is not null
                    group by 1, 2, 3, 4, 5, 6, 7, 8
                    """, AttributeNames, ["n", "amount"])}
                having sum(d.n) <> 0 or sum(d.amount) <> 0
                {Summing(tables.KnownIntervalCounts, intoEmpty)}
                """),
            new(tables.OpenCloseCounts, $"""
                insert into {tables.OpenCloseCounts.Identifier.QualifiedName} as c
                {DaysInSpans($"""
                    select r.pipeline_id, b.day, r.stage, r.owner, coalesce(r.team, '') as team, date_trunc('month', r.expected_close)::date as close_month,
                           sum(b.sign) as n, sum(b.sign * r.amount) as amount
                    from r cross join lateral (values ({calendar.BucketOf(from)}, 1), ({calendar.BucketOf("r.valid_to")}, -1)) as b(day, sign)
                    where b.day is not null and r.status = 'open' and r.expected_close is not null
                    group by 1, 2, 3, 4, 5, 6
                    """, ["stage", "owner", "team", "close_month"], ["n", "amount"])}
                having sum(d.n) <> 0 or sum(d.amount) <> 0
                {Summing(tables.OpenCloseCounts, intoEmpty)}
                """),
        ];
    }

    /// <summary>Ends an interval written by an earlier batch, at the event that ends it.</summary>
    public void CloseInterval(IDocumentOperations operations, string dealId, int version, DateTimeOffset validTo, long closedSeq, DateTimeOffset closedRecordedAt) =>
        TimelineRows.QueueNamed(operations, closeInterval, new { ValidTo = validTo, ClosedSeq = closedSeq, ClosedRecordedAt = closedRecordedAt, DealId = dealId, Version = version });
}
