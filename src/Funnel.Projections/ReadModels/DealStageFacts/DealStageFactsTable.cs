using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>Per deal and stage it ever entered: its first entry, and when it first went further (a later stage, or won).</summary>
    public Table DealStageFacts { get; } = Define(schema, TimelineTables.Names.DealStageFacts, DealStageFactColumns);

    private static void DealStageFactColumns(Table t)
    {
        t.AddColumn("deal_id", "text").AsPrimaryKey();
        t.AddColumn("stage", "text").AsPrimaryKey();
        t.AddColumn("pipeline_id", "text").NotNull();
        t.AddColumn("first_entered_at", "timestamptz").NotNull();
        t.AddColumn("advanced_at", "timestamptz").AllowNulls();
        AddAttributeColumns(t);
        // Conversion over a window of first entries reads only this index.
        t.Indexes.Add(new IndexDefinition("ix_deal_stage_facts_stage")
        {
            Columns = ["pipeline_id", "stage", "first_entered_at"], IncludeColumns = ["advanced_at", "status", "status_changed_at", "deal_id", "owner", "team", "region", "product"],
        });
        t.Indexes.Add(new IndexDefinition("ix_deal_stage_facts_owner")
        {
            Columns = ["pipeline_id", "owner"], IncludeColumns = ["deal_id", "stage", "first_entered_at", "advanced_at", "status", "status_changed_at"],
        });
    }

    /// <summary>Running counts of stage facts by stage, advanced, status and filter attributes: conversion as it stands, without a scan.</summary>
    public Table StageCounts { get; } = Define(schema, TimelineTables.Names.StageCounts, StageCountColumns);

    private static void StageCountColumns(Table t)
    {
        t.AddColumn("pipeline_id", "text").AsPrimaryKey();
        t.AddColumn("stage", "text").AsPrimaryKey();
        t.AddColumn("advanced", "boolean").AsPrimaryKey();
        AddCountKeyColumns(t);
        t.AddColumn("n", "bigint").NotNull();
    }
}
