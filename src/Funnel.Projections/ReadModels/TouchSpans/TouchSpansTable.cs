using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>
    /// Every deal's touch spans (<see cref="TouchSpan"/>; an open end is 'infinity'), with the day of the touch as the
    /// counters cut it: the untouched deals at a past midnight are read a touch day at a time, those still open then by
    /// the end of their span.
    /// </summary>
    public Table TouchSpans { get; } = Define(schema, TimelineTables.TouchSpans,
        columns: ["deal_id text key", "valid_from timestamptz key", "pipeline_id text", "touched_at timestamptz", "worked boolean", "valid_to timestamptz", "touch_day date"],
        Index("ix_touch_spans_day", ["pipeline_id", "touch_day", "valid_to"], include: ["valid_from", "touched_at", "worked"]));

    /// <summary>
    /// The touch spans counted by the day of their touch and the day they begin (+1) or end (-1), as a state from an
    /// instant on (<see cref="CounterCalendar.BucketOf"/>): summed over touch days from a cut's to asOf's and days before
    /// asOf's, the deals open at asOf touched since the cut. A row per pair of days, whatever the number of deals.
    /// </summary>
    public Table TouchSpanCounts { get; } = Define(schema, TimelineTables.TouchSpanCounts,
        columns: ["pipeline_id text key", "touch_day date key", "day date key", "n bigint"]);

    /// <summary>
    /// The same counts under the attributes the span's holder had (<see cref="TouchSpanAttributeCount"/>): with the open
    /// interval counts, the untouched deals of a filter at a past midnight, read a touch day at a time. A row per pair of
    /// days and combination of attributes (about one a rep and product), and two a span to sum where one a filter
    /// attribute would be eight.
    /// </summary>
    public Table TouchSpanAttributeCounts { get; } = Define(schema, TimelineTables.TouchSpanAttributeCounts,
        columns: ["pipeline_id text key", "touch_day date key", "day date key", "owner text key", "team text key", "region text key", "product text key", "n bigint"]);

    /// <summary>
    /// The same spans by the day they begin (+1) or end (-1) alone, in days, months and years (<see cref="CounterCalendar"/>):
    /// the deals open at a midnight, of which <see cref="TouchSpanCounts"/> tell those touched since the cut.
    /// </summary>
    public Table OpenSpanCounts { get; } = Define(schema, TimelineTables.OpenSpanCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "n bigint"]);
}
