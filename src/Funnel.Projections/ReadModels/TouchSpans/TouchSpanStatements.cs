namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Takes away the touch spans of the deals in the jsonb array of ids, before their spans are written again.</summary>
    public string DeleteTouchSpans { get; } =
        $"delete from {tables.TouchSpans.Identifier.QualifiedName} where deal_id in (select jsonb_array_elements_text(^::jsonb))";

    /// <summary>A touch span's fields (<see cref="TouchSpan"/>) as SQL column definitions.</summary>
    private const string TouchSpanFields = "deal_id text, pipeline_id text, touched_at timestamptz, worked boolean, \"from\" timestamptz, \"to\" timestamptz";

    /// <summary>Writes touch spans (<see cref="TouchSpan"/>), each with the day of its touch.</summary>
    public string InsertTouchSpans { get; } = InsertTouchSpansFrom(tables, calendar, $"jsonb_to_recordset(^::jsonb) as r({TouchSpanFields})");

    /// <summary>Touch spans copied while the counters are left to a recount (<see cref="BatchCopy"/>).</summary>
    public CopiedRows CopyTouchSpans { get; } = new(TimelineTables.TouchSpans, TouchSpanFields, staged => InsertTouchSpansFrom(tables, calendar, $"{staged} r"));

    private static string InsertTouchSpansFrom(TimelineTableSet tables, CounterCalendar calendar, string source) => $"""
        insert into {tables.TouchSpans.Identifier.QualifiedName} (deal_id, valid_from, pipeline_id, touched_at, worked, valid_to, touch_day)
        select r.deal_id, r."from", r.pipeline_id, r.touched_at, r.worked, coalesce(r."to", 'infinity'), {calendar.BucketOf("r.touched_at")}
        from {source}
        """;

    /// <summary>Adds a batch's net touch span counts (<see cref="TouchSpanCount"/>) to the days of their touch and instant.</summary>
    public CounterAdd AddTouchSpanCounts { get; } = new(tables.TouchSpanCounts, "pipeline_id text, touched_at timestamptz, at timestamptz, n bigint",
        new([new("pipeline_id"), new("touch_day", "touched_at", calendar.Bucket), new("day", "at", calendar.Bucket)], ["n"], Spans: null), (source, intoEmpty) => $"""
        insert into {tables.TouchSpanCounts.Identifier.QualifiedName} as c (pipeline_id, touch_day, day, n)
        select r.pipeline_id, {calendar.BucketOf("r.touched_at")}, {calendar.BucketOf("r.at")}, sum(r.n) from {source}
        group by 1, 2, 3 having sum(r.n) <> 0
        {Summing(tables.TouchSpanCounts, intoEmpty)}
        """);

    /// <summary>Adds a batch's net touch span counts under their attributes (<see cref="TouchSpanAttributeCount"/>), as <see cref="AddTouchSpanCounts"/> does.</summary>
    public CounterAdd AddTouchSpanAttributeCounts { get; } = new(tables.TouchSpanAttributeCounts,
        "pipeline_id text, owner text, team text, region text, product text, touched_at timestamptz, at timestamptz, n bigint",
        new([new("pipeline_id"), new("touch_day", "touched_at", calendar.Bucket), new("day", "at", calendar.Bucket), new("owner"), new("team"), new("region"), new("product")], ["n"], Spans: null),
        (source, intoEmpty) => $"""
        insert into {tables.TouchSpanAttributeCounts.Identifier.QualifiedName} as c (pipeline_id, touch_day, day, owner, team, region, product, n)
        select r.pipeline_id, {calendar.BucketOf("r.touched_at")}, {calendar.BucketOf("r.at")}, r.owner, r.team, r.region, r.product, sum(r.n) from {source}
        group by 1, 2, 3, 4, 5, 6, 7 having sum(r.n) <> 0
        {Summing(tables.TouchSpanAttributeCounts, intoEmpty)}
        """);

    /// <summary>Adds the same rows to <see cref="TimelineTableSet.OpenSpanCounts"/> (their touch left out), as a state from each instant on.</summary>
    public CounterAdd AddOpenSpanCounts { get; } = AddDated(tables.OpenSpanCounts, calendar.Bucket);
}
