using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>One row per stay of a deal in a stage, from the event that put it there to the one that took it out.</summary>
    public Table StageResidencies { get; } = Define(schema, TimelineTables.StageResidencies,
        columns:
        [
            "deal_id text key", "n integer key", "pipeline_id text", "stage text", "entered_at timestamptz", "exited_at timestamptz?", "exit_kind text?",
            "next_stage text?", "entered_seq bigint", "exited_seq bigint?", "days numeric?", "entered_day date?", .. AttributeColumns,
        ],
        Index("ix_stage_residencies_stage", ["pipeline_id", "stage", "exited_at"]),
        // Stays ended in a window (dwell with from/to, changes), read from the index alone.
        Index("ix_stage_residencies_exited", ["pipeline_id", "exited_at"], where: "exited_at is not null", include: ["stage", "days", "entered_at", "deal_id", "owner", "team", "region", "product"]),
        Index("ix_stage_residencies_open", ["pipeline_id", "stage", "entered_at"], where: "exited_at is null", include: ["deal_id", "owner", "team", "region", "product"]),
        Index("ix_stage_residencies_entered", ["pipeline_id", "entered_at"]),
        // A stage's stays entered on a day (the counters' day) and still open at a past instant (the oldest open then, the
        // median age): those that ended after it one range of the index alone, without those that ended before (on an old
        // day nearly all: at a million deals two of a stage's 1,400), and those still open another.
        Index("ix_stage_residencies_entered_day", ["pipeline_id", "stage", "entered_day", "exited_at"], include: ["entered_at", "deal_id"]),
        Index("ix_stage_residencies_days", ["pipeline_id", "stage", "days"], where: "days is not null", include: ["exited_at", "owner", "team", "region", "product"]),
        // One rep's stays, read from the index alone (the owner is the filter managers use most, and the most selective).
        Index("ix_stage_residencies_owner", ["pipeline_id", "owner"], include: ["deal_id", "stage", "entered_at", "exited_at"]));

    /// <summary>
    /// Completed residencies per pipeline, stage, whole day of dwell and the deals' filter attributes ('' for none), with
    /// their summed days: the rank of any dwell time is found here, so a percentile reads a few index entries instead of
    /// sorting every stay.
    /// </summary>
    public Table DwellCounts { get; } = Define(schema, TimelineTables.DwellCounts,
        columns: ["pipeline_id text key", "stage text key", "day integer key", "owner text key", "team text key", "region text key", "product text key", "n bigint", "sum_days numeric"],
        // One rep's buckets (the filter managers use most) from the index alone, not from a scan of every rep's.
        Index("ix_dwell_counts_owner", ["pipeline_id", "owner", "stage", "day"], include: ["team", "region", "product", "n", "sum_days"]));

    /// <summary>
    /// The completed residencies as <see cref="DwellCounts"/> counts them, per whole hour of dwell instead of day: once a
    /// percentile's rank is found in a day, its hour is found here, so the stays read one by one are an hour's, not a day's.
    /// </summary>
    public Table DwellHourCounts { get; } = Define(schema, TimelineTables.DwellHourCounts,
        columns: ["pipeline_id text key", "stage text key", "hour integer key", "owner text key", "team text key", "region text key", "product text key", "n bigint"],
        // A percentile reads a day's hours for every filter attribute: from the index alone, not from a row each scattered
        // over the table as stays ended (dwell at a million deals: 50-60 ms with the rows, about 30 without).
        Index("ix_dwell_hour_counts_read", ["pipeline_id", "stage", "hour"], include: ["owner", "team", "region", "product", "n"]),
        Index("ix_dwell_hour_counts_owner", ["pipeline_id", "owner", "stage", "hour"], include: ["team", "region", "product", "n"]));

    /// <summary>
    /// <see cref="DwellCounts"/> summed over the filter attributes: a report over every deal (the dashboard unfiltered,
    /// the stalled thresholds) reads a row per stage and day instead of one per attribute combination (25,000 at a
    /// million demo deals).
    /// </summary>
    public Table DwellTotals { get; } = Define(schema, TimelineTables.DwellTotals,
        columns: ["pipeline_id text key", "stage text key", "day integer key", "n bigint", "sum_days numeric"]);

    /// <summary><see cref="DwellHourCounts"/> summed over the filter attributes, as <see cref="DwellTotals"/> are.</summary>
    public Table DwellHourTotals { get; } = Define(schema, TimelineTables.DwellHourTotals,
        columns: ["pipeline_id text key", "stage text key", "hour integer key", "n bigint"]);

    /// <summary>
    /// The open stays (<see cref="OpenStayCount"/>) by the day and month they were entered in the organisation's zone,
    /// stage and the deals' current filter attributes: how many deals stand in each stage now and the rank of any entry
    /// time among them (the median age of open stays, the stalled ones past a threshold) without reading the stays.
    /// </summary>
    public Table OpenStayCounts { get; } = Define(schema, TimelineTables.OpenStayCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "owner text key", "team text key", "region text key", "product text key", "n bigint"],
        Index("ix_open_stay_counts_owner", ["pipeline_id", "owner", "span", "stage", "bucket"], include: ["team", "region", "product", "n"]));

    /// <summary>
    /// <see cref="OpenStayCounts"/> summed over the filter attributes: the open stays' median and the stalled counts over
    /// every deal read a row per day and stage instead of one per attribute combination too (1,672 in a month's days of
    /// one stage at a million deals).
    /// </summary>
    public Table OpenStayTotals { get; } = Define(schema, TimelineTables.OpenStayTotals,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "n bigint"]);

    /// <summary>
    /// The stays' entries and exits (<see cref="StayChangeCount"/>) by the day, month and year they happened in the
    /// organisation's zone, stage, change (entered, or how a stay was left) and the deals' current filter attributes: what
    /// moved in a run of days costs the buckets it spans, not the stays (a month's changes at a million deals read about
    /// 200,000 stays).
    /// </summary>
    public Table StayChangeCounts { get; } = Define(schema, TimelineTables.StayChangeCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "change text key", "owner text key", "team text key", "region text key", "product text key", "n bigint"],
        Index("ix_stay_change_counts_owner", ["pipeline_id", "owner", "span", "bucket"], include: ["stage", "change", "team", "region", "product", "n"]));

    /// <summary><see cref="StayChangeCounts"/> summed over the filter attributes: a row per day, stage and change for a report over every deal.</summary>
    public Table StayChangeTotals { get; } = Define(schema, TimelineTables.StayChangeTotals,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "change text key", "n bigint"]);

    /// <summary>
    /// The ended stays (<see cref="EndedStayCount"/>) by stage and whole day of dwell, as <see cref="DwellTotals"/>, dated by
    /// the day, month and year they ended as a state from then on (<see cref="CounterCalendar.Bucket"/>): summed before a
    /// day, the completed stays' dwell at its first instant, so a percentile at a past midnight reads a few hundred buckets
    /// instead of the stays ended since.
    /// </summary>
    public Table EndedStayTotals { get; } = Define(schema, TimelineTables.EndedStayTotals,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "day integer key", "n bigint", "micros bigint"]);

    /// <summary>The same stays by whole hour of dwell, as <see cref="DwellHourTotals"/>: the hour of a percentile's rank within its day.</summary>
    public Table EndedStayHourTotals { get; } = Define(schema, TimelineTables.EndedStayHourTotals,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "hour integer key", "n bigint"],
        // An hour's buckets before a day: three ranges of the index alone, one a span.
        Index("ix_ended_stay_hour_totals_hour", ["pipeline_id", "stage", "hour", "span", "bucket"], include: ["n"]));

    /// <summary>
    /// The stays (<see cref="StayEntryCount"/>) by stage and the day they were entered in the organisation's zone, +1 from
    /// the entry and -1 from the end, dated as a state (<see cref="CounterCalendar.Bucket"/>): summed before a day, the
    /// stays open at its first instant by their day of entry.
    /// </summary>
    public Table StayEntryTotals { get; } = Define(schema, TimelineTables.StayEntryTotals,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "entered date key", "n bigint"],
        // A day of entry's buckets before a day: three ranges of the index alone, one a span.
        Index("ix_stay_entry_totals_entered", ["pipeline_id", "stage", "entered", "span", "bucket"], include: ["n"]));

    /// <summary>The same by the month of entry: the month an age's rank falls in, before its day is read from <see cref="StayEntryTotals"/>.</summary>
    public Table StayEntryMonthTotals { get; } = Define(schema, TimelineTables.StayEntryMonthTotals,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "entered date key", "n bigint"]);
}
