using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>
    /// One row per activity a rep logged, at its business time (and when it was recorded), with the stage its deal stood in
    /// then (null on no deal, or a closed one). Days are cut in the organisation's time zone when read, so the zone can
    /// change without a rebuild.
    /// </summary>
    public Table Activities { get; } = Define(schema, TimelineTables.Activities,
        columns:
        [
            "activity_id text key", "rep text", "kind text", "deal_id text?", "pipeline_id text?", "team text?", "account text?",
            "duration_minutes integer?", "outcome text?", "notes text?", "occurred_at timestamptz", "recorded_at timestamptz", "seq bigint",
            "stage text?",
        ],
        // A rep's days (diary, gaps, heat-map), a deal's activities by time (untouched, re-stamping), a pipeline's window (counts, effort).
        Index("ix_activities_rep", ["rep", "occurred_at"]),
        Index("ix_activities_deal", ["deal_id", "occurred_at"], include: ["kind", "rep"], where: "deal_id is not null"),
        Index("ix_activities_pipeline", ["pipeline_id", "occurred_at"], include: ["rep", "kind", "deal_id", "team", "duration_minutes", "stage"]));

    /// <summary>
    /// The activities per calendar day and month in the organisation's zone (<see cref="CounterCalendar"/>), by pipeline
    /// ('' on no deal), rep, team ('' for none) and kind, with their minutes: what a rep or a team logged in a period
    /// (attainment) without reading the activities.
    /// </summary>
    public Table ActivityCounts { get; } = Define(schema, TimelineTables.ActivityCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "rep text key", "team text key", "kind text key", "n bigint", "minutes bigint"]);

    /// <summary>
    /// Effort per stage (<see cref="EffortCount"/>) by day and month of the stages' first entries in the organisation's
    /// zone: the entries (kind '') and the activities logged in the stage per kind, by whether the stage was advanced from
    /// and worked, under the deals' current filter attributes: effort now, over the whole history or a window of entries.
    /// </summary>
    public Table EffortCounts { get; } = Define(schema, TimelineTables.EffortCounts,
        columns:
        [
            "pipeline_id text key", "span text key", "bucket date key", "stage text key", "advanced boolean key", "worked boolean key", "kind text key",
            "owner text key", "team text key", "region text key", "product text key", "n bigint",
        ]);

    /// <summary>
    /// Effort per stage dated by what happened (<see cref="DatedEffortCount"/>): from each instant on, the stages' first
    /// entries by whether advanced from and worked, and the activities logged in them per kind, under the deals' current
    /// filter attributes, in the days, months and years of the organisation's zone: effort at any midnight.
    /// </summary>
    public Table EffortDatedCounts { get; } = Define(schema, TimelineTables.EffortDatedCounts,
        columns:
        [
            "pipeline_id text key", "span text key", "bucket date key", "stage text key", "advanced boolean key", "worked boolean key", "kind text key",
            "owner text key", "team text key", "region text key", "product text key", "n bigint",
        ]);

    /// <summary>
    /// <see cref="EffortDatedCounts"/> summed over the filter attributes: effort at a midnight over every deal (the
    /// dashboard unfiltered) reads a row per bucket, stage and kind instead of one per attribute combination too.
    /// </summary>
    public Table EffortDatedTotals { get; } = Define(schema, TimelineTables.EffortDatedTotals,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "advanced boolean key", "worked boolean key", "kind text key", "n bigint"]);

    /// <summary>
    /// Per pipeline, calendar day in the organisation's zone and rep: how many distinct deals the rep logged an activity
    /// on that day (a distinct count, which no sum of other counts gives): the activity report by rep and day.
    /// </summary>
    public Table RepDayDeals { get; } = Define(schema, TimelineTables.RepDayDeals, columns: ["pipeline_id text key", "day date key", "rep text key", "n bigint"]);

    /// <summary>
    /// <see cref="RepDayDeals"/> per team of the activities too ('' for none): a rep's day's distinct deals among one team's
    /// activities (an activity carries the team given with it, else its deal's), for the activity report filtered by a team.
    /// </summary>
    public Table RepDayTeamDeals { get; } = Define(schema, TimelineTables.RepDayTeamDeals, columns: ["pipeline_id text key", "day date key", "rep text key", "team text key", "n bigint"]);
}
