using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>One row per stay of a deal in a stage, from the event that put it there to the one that took it out.</summary>
    public Table StageResidencies { get; } = Define(schema, TimelineTables.Names.StageResidencies, StageResidencyColumns);

    private static void StageResidencyColumns(Table t)
    {
        t.AddColumn("deal_id", "text").AsPrimaryKey();
        t.AddColumn("n", "integer").AsPrimaryKey();
        t.AddColumn("pipeline_id", "text").NotNull();
        t.AddColumn("stage", "text").NotNull();
        t.AddColumn("entered_at", "timestamptz").NotNull();
        t.AddColumn("exited_at", "timestamptz").AllowNulls();
        t.AddColumn("exit_kind", "text").AllowNulls();
        t.AddColumn("next_stage", "text").AllowNulls();
        t.AddColumn("entered_seq", "bigint").NotNull();
        t.AddColumn("exited_seq", "bigint").AllowNulls();
        t.AddColumn("days", "numeric").AllowNulls();
        AddAttributeColumns(t);
        t.Indexes.Add(new IndexDefinition("ix_stage_residencies_stage") { Columns = ["pipeline_id", "stage", "exited_at"] });
        // Stays ended in a window (dwell with from/to, changes), read from the index alone.
        t.Indexes.Add(new IndexDefinition("ix_stage_residencies_exited")
        {
            Columns = ["pipeline_id", "exited_at"], Predicate = "exited_at is not null", IncludeColumns = ["stage", "days", "entered_at", "deal_id", "owner", "team", "region", "product"],
        });
        t.Indexes.Add(new IndexDefinition("ix_stage_residencies_open")
        {
            Columns = ["pipeline_id", "stage", "entered_at"], Predicate = "exited_at is null", IncludeColumns = ["deal_id", "owner", "team", "region", "product"],
        });
        t.Indexes.Add(new IndexDefinition("ix_stage_residencies_entered") { Columns = ["pipeline_id", "entered_at"] });
        t.Indexes.Add(new IndexDefinition("ix_stage_residencies_days")
        {
            Columns = ["pipeline_id", "stage", "days"], Predicate = "days is not null", IncludeColumns = ["owner", "team", "region", "product"],
        });
        // One rep's stays, read from the index alone (the owner is the filter managers use most, and the most selective).
        t.Indexes.Add(new IndexDefinition("ix_stage_residencies_owner") { Columns = ["pipeline_id", "owner"], IncludeColumns = ["deal_id", "stage", "entered_at", "exited_at"] });
    }

    /// <summary>
    /// Completed residencies per pipeline, stage, whole day of dwell and the deals' filter attributes ('' for none), with
    /// their summed days: the rank of any dwell time is found here, so a percentile reads a few index entries instead of
    /// sorting every stay.
    /// </summary>
    public Table DwellCounts { get; } = Define(schema, TimelineTables.Names.DwellCounts, DwellCountColumns);

    private static void DwellCountColumns(Table t)
    {
        t.AddColumn("pipeline_id", "text").AsPrimaryKey();
        t.AddColumn("stage", "text").AsPrimaryKey();
        t.AddColumn("day", "integer").AsPrimaryKey();
        t.AddColumn("owner", "text").AsPrimaryKey();
        t.AddColumn("team", "text").AsPrimaryKey();
        t.AddColumn("region", "text").AsPrimaryKey();
        t.AddColumn("product", "text").AsPrimaryKey();
        t.AddColumn("n", "bigint").NotNull();
        t.AddColumn("sum_days", "numeric").NotNull();
    }
}
