using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>Per deal and stage it ever entered: its first entry, and when it first went further (a later stage, or won).</summary>
    public Table DealStageFacts { get; } = Define(schema, TimelineTables.DealStageFacts,
        columns: ["deal_id text key", "stage text key", "pipeline_id text", "first_entered_at timestamptz", "advanced_at timestamptz?", .. AttributeColumns],
        // Conversion over a window of first entries reads only this index.
        Index("ix_deal_stage_facts_stage", ["pipeline_id", "stage", "first_entered_at"], include: ["advanced_at", "status", "status_changed_at", "deal_id", "owner", "team", "region", "product"]),
        Index("ix_deal_stage_facts_owner", ["pipeline_id", "owner"], include: ["deal_id", "stage", "first_entered_at", "advanced_at", "status", "status_changed_at"]));

    /// <summary>
    /// Running counts of stage facts (stage '': the deals themselves) by the day and month of the first entry (capture) in
    /// the organisation's zone, stage, advanced, current status and filter attributes: conversion as it stands (all
    /// months) and over a window of entries (its months and days), without a scan.
    /// </summary>
    public Table StageCounts { get; } = Define(schema, TimelineTables.StageCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "stage text key", "advanced boolean key", .. CountKeyColumns, "n bigint"]);

    /// <summary>
    /// The stage facts advanced from (<see cref="AdvanceCount"/>) by the day and month of the first entry in the
    /// organisation's zone, stage, whole days it took to advance and the deals' current filter attributes: conversion
    /// within a number of days, as it stands, whole or over a window of entries.
    /// </summary>
    public Table AdvanceCounts { get; } = Define(schema, TimelineTables.AdvanceCounts,
        columns:
        [
            "pipeline_id text key", "span text key", "bucket date key", "stage text key", "lag_days integer key", "owner text key", "team text key",
            "region text key", "product text key", "n bigint",
        ],
        // One owner's advances without reading every owner's: a year's row per lag, stage and attributes (45,158 at a million deals).
        Index("ix_advance_counts_owner", ["pipeline_id", "owner", "stage"]));

    /// <summary>
    /// The stage facts' dated statuses (<see cref="DatedStageCount"/>) per day and month in the organisation's zone
    /// (<see cref="CounterCalendar"/>), by stage ('' for the deals themselves), status and the deals' current filter
    /// attributes ('' for none): summed over the buckets before a day, conversion at its first instant.
    /// </summary>
    public Table StageStatusCounts { get; } = Define(schema, TimelineTables.StageStatusCounts,
        columns:
        [
            "pipeline_id text key", "span text key", "bucket date key", "stage text key", "status text key", "owner text key", "team text key",
            "region text key", "product text key", "n bigint",
        ]);
}
