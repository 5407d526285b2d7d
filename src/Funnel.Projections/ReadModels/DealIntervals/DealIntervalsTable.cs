using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>The columns of a deal's interval that point-in-time reports read (besides pipeline, times and status).</summary>
    public static readonly string[] IntervalReadColumns = ["deal_id", "version", "stage", "status", "amount", "owner", "team", "region", "product", "expected_close"];

    /// <summary>One row per period in which a deal's reportable state held: [valid_from, valid_to) in business time.</summary>
    public Table DealIntervals { get; } = Define(schema, TimelineTables.DealIntervals,
        columns:
        [
            "deal_id text key", "version integer key", .. DealColumns, "valid_from timestamptz", "valid_to timestamptz?", "period tstzrange", "seq bigint",
            "recorded_at timestamptz", "closed_seq bigint?", "closed_recorded_at timestamptz?", "handover_reason text?", "previous_owner text?",
            "move text?",
        ],
        // Point-in-time reads: open periods by a range index, closed ones (whose last period never ends) by their start.
        // Both carry what snapshots, forecasts and velocity read, so they are answered from the index alone.
        Index("ix_deal_intervals_open_period", ["period"], method: IndexMethod.gist, where: "status = 'open'", include: ["pipeline_id", "recorded_at", .. IntervalReadColumns]),
        Index("ix_deal_intervals_closed_from", ["pipeline_id", "valid_from"], where: "status <> 'open'", include: ["valid_to", "recorded_at", .. IntervalReadColumns]),
        Index("ix_deal_intervals_recorded", ["pipeline_id", "recorded_at"]),
        // Also the deals changed after an instant (a report at a recent instant reads them, not the history: ChangedSince).
        Index("ix_deal_intervals_valid_from", ["pipeline_id", "valid_from"], include: ["deal_id"]),
        // With the one above, the part of a day before an instant that is not a midnight (see IntervalCounts).
        Index("ix_deal_intervals_valid_to", ["pipeline_id", "valid_to"], where: "valid_to is not null"),
        Index("ix_deal_intervals_closed_recorded", ["closed_recorded_at"], where: "closed_recorded_at is not null"),
        // The handovers report: the few intervals a handover began, in its order (one handover moves all of a rep's deals at
        // one instant: ordered by time alone, a page sorted every deal of that instant, 10,316 at a million deals).
        Index("ix_deal_intervals_handovers", ["pipeline_id", "valid_from", "deal_id"], where: "handover_reason is not null", include: ["version", "owner", "previous_owner", "team", "region", "handover_reason", "stage", "amount"]),
        // A rep's diary: what happened on the deals they owned, and the deals that left them, on a day.
        Index("ix_deal_intervals_owner_from", ["owner", "valid_from"]),
        Index("ix_deal_intervals_previous_owner", ["previous_owner", "valid_from"], where: "previous_owner is not null"));

    /// <summary>
    /// The intervals by the day (and month) they began and ended, in the organisation's zone (<see cref="CounterCalendar"/>),
    /// per status, stage and the interval's own filter attributes ('' for none): +1 and the amount where one began, -1 and
    /// minus the amount where one ended. Summed over the buckets before a day, they are the deals in force at its first
    /// instant, so a snapshot at a past day reads at most a year's months and a month's days of rows, however many deals.
    /// <c>began</c> counts the intervals begun on the calendar day itself (<c>began_amount</c> their amounts, <c>captured</c>
    /// the deals' first ones): with those in force at its start, the deals held at some moment of the day (days without
    /// record); the won ones begun in a period are its wins, the first ones its new deals (attainment).
    /// </summary>
    public Table IntervalCounts { get; } = Define(schema, TimelineTables.IntervalCounts,
        columns:
        [
            "pipeline_id text key", "span text key", "bucket date key", "status text key", "stage text key", "owner text key", "team text key",
            "region text key", "product text key", "n bigint", "amount numeric", "began bigint", "began_amount numeric", "captured bigint",
        ]);

    /// <summary>
    /// The intervals as they became known: +1 and the amount at the bucket of the instant one was recorded, -1 and minus
    /// the amount at that of the instant its end was recorded (recorded time, not business time). Summed up to an instant
    /// K, each deal's latest interval known then: the funnel as it was known at K, at any asOf from K on (a business time
    /// lies at most a few minutes after its recording; the few recorded just before K and dated after asOf are read one by one).
    /// </summary>
    public Table KnownIntervalCounts { get; } = Define(schema, TimelineTables.KnownIntervalCounts,
        columns:
        [
            "pipeline_id text key", "span text key", "bucket date key", "status text key", "stage text key", "owner text key", "team text key",
            "region text key", "product text key", "n bigint", "amount numeric",
        ]);

    /// <summary>
    /// The open intervals with an expected close, counted as <see cref="IntervalCounts"/> are (+1/+amount where one began,
    /// -1/-amount where it ended) by stage, owner, team ('' for none) and the month they were expected to close: the open
    /// pipeline expected to close in a period, at any instant (attainment).
    /// </summary>
    public Table OpenCloseCounts { get; } = Define(schema, TimelineTables.OpenCloseCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "owner text key", "team text key", "close_month date key", "n bigint", "amount numeric"]);

    /// <summary>
    /// The handovers (intervals begun by an owner change with a reason) by the day and month they happened in the
    /// organisation's zone: how many and the open amount that changed hands in a window, without reading them.
    /// </summary>
    public Table HandoverCounts { get; } = Define(schema, TimelineTables.HandoverCounts, columns: ["pipeline_id text key", "span text key", "bucket date key", "n bigint", "amount numeric"]);

    /// <summary>
    /// The moves on a rep's deals (<see cref="DealMove"/>) per calendar day in the organisation's zone, in every pipeline:
    /// as the owner saw each interval's move, and handed-out for the owner before a handover, with their amounts: a
    /// rep's diary's totals without reading the day's intervals.
    /// </summary>
    public Table RepDayMoves { get; } = Define(schema, TimelineTables.RepDayMoves,
        columns: ["rep text key", "day date key", "move text key", "n bigint", "amount numeric"]);

    /// <summary>
    /// One row per interval a change of amount began (<see cref="AmountChangeRow"/>): the changes of amount in a window, read
    /// by their own index. A table of their own, not a column of the intervals: an index added to the intervals is built
    /// by the schema's update at a store's next start, on its largest table, inside a statement that times out.
    /// </summary>
    public Table AmountChanges { get; } = Define(schema, TimelineTables.AmountChanges,
        columns:
        [
            "deal_id text key", "version integer key", "pipeline_id text", "valid_from timestamptz", "stage text", "previous_amount numeric", "amount numeric",
            "owner text", "team text?", "region text?", "product text?",
        ],
        Index("ix_amount_changes_window", ["pipeline_id", "valid_from", "deal_id"], include: ["stage", "previous_amount", "amount", "owner", "team", "region", "product"]));

    /// <summary>
    /// The changes of amount (<see cref="AmountChanges"/>) by the day, month and year they happened in the organisation's
    /// zone and the filter attributes of their interval ('' for none): how many a window holds without reading them (a
    /// month's at a million deals: 51,323).
    /// </summary>
    public Table AmountChangeCounts { get; } = Define(schema, TimelineTables.AmountChangeCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "owner text key", "team text key", "region text key", "product text key", "n bigint"]);
}
