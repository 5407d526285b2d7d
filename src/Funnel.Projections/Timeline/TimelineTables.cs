using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>The read models' table names, in one place: bare (as the projection creates them in any schema) and live (as reports read them).</summary>
public static class TimelineTables
{
    /// <summary>The schema of the live read models, which the reports read.</summary>
    public const string Schema = StoreTables.Schema;

    /// <summary>The tables' names within their schema: the live one, or a copy rebuilt beside it to verify it.</summary>
    public static class Names
    {
        public const string PipelineVersions = "pipeline_versions";

        public const string DealIntervals = "deal_intervals";

        public const string StageResidencies = "stage_residencies";

        public const string DealStageFacts = "deal_stage_facts";

        public const string DealCurrent = "deal_current";

        public const string StageCounts = "stage_counts";

        public const string DwellCounts = "dwell_counts";

        public const string DealCounts = "deal_counts";

        public const string DealStates = "deal_projection_state";
    }

    public const string PipelineVersions = Schema + "." + Names.PipelineVersions;

    public const string DealIntervals = Schema + "." + Names.DealIntervals;

    public const string StageResidencies = Schema + "." + Names.StageResidencies;

    public const string DealStageFacts = Schema + "." + Names.DealStageFacts;

    public const string DealCurrent = Schema + "." + Names.DealCurrent;

    public const string StageCounts = Schema + "." + Names.StageCounts;

    public const string DwellCounts = Schema + "." + Names.DwellCounts;

    public const string DealCounts = Schema + "." + Names.DealCounts;

    public static readonly TimelineTableSet Live = new(Schema);
}

/// <summary>
/// The flat, time-bounded tables the timeline projection writes and every report reads with indexed queries, in one
/// schema: the live one, or a copy rebuilt beside it to verify it. Business time (occurredAt) bounds the intervals;
/// recorded time (Marten's timestamp) answers "as known at".
/// </summary>
public sealed class TimelineTableSet
{
    public TimelineTableSet(string schema)
    {
        Schema = schema;
        PipelineVersions = Define(TimelineTables.Names.PipelineVersions, PipelineVersionColumns);
        DealIntervals = Define(TimelineTables.Names.DealIntervals, DealIntervalColumns);
        StageResidencies = Define(TimelineTables.Names.StageResidencies, StageResidencyColumns);
        DealStageFacts = Define(TimelineTables.Names.DealStageFacts, DealStageFactColumns);
        DealCurrent = Define(TimelineTables.Names.DealCurrent, DealCurrentColumns);
        StageCounts = Define(TimelineTables.Names.StageCounts, t =>
        {
            t.AddColumn("pipeline_id", "text").AsPrimaryKey();
            t.AddColumn("stage", "text").AsPrimaryKey();
            t.AddColumn("advanced", "boolean").AsPrimaryKey();
            AddCountKeyColumns(t);
            t.AddColumn("n", "bigint").NotNull();
        });
        DwellCounts = Define(TimelineTables.Names.DwellCounts, t =>
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
        });
        DealCounts = Define(TimelineTables.Names.DealCounts, t =>
        {
            t.AddColumn("pipeline_id", "text").AsPrimaryKey();
            t.AddColumn("loss_reason", "text").AsPrimaryKey();
            AddCountKeyColumns(t);
            t.AddColumn("n", "bigint").NotNull();
            t.AddColumn("amount", "numeric").NotNull();
        });
        DealStates = Define(TimelineTables.Names.DealStates, t =>
        {
            t.AddColumn("deal_id", "text").AsPrimaryKey();
            t.AddColumn("state", "jsonb").NotNull();
        });
    }

    public string Schema { get; }

    public Table PipelineVersions { get; }

    /// <summary>One row per period in which a deal's reportable state held: [valid_from, valid_to) in business time.</summary>
    public Table DealIntervals { get; }

    /// <summary>One row per stay of a deal in a stage, from the event that put it there to the one that took it out.</summary>
    public Table StageResidencies { get; }

    /// <summary>Per deal and stage it ever entered: its first entry, and when it first went further (a later stage, or won).</summary>
    public Table DealStageFacts { get; }

    /// <summary>Each deal as it stands now.</summary>
    public Table DealCurrent { get; }

    /// <summary>Running counts of stage facts by stage, advanced, status and filter attributes: conversion as it stands, without a scan.</summary>
    public Table StageCounts { get; }

    /// <summary>
    /// Completed residencies per pipeline, stage, whole day of dwell and the deals' filter attributes ('' for none), with
    /// their summed days: the rank of any dwell time is found here, so a percentile reads a few index entries instead of
    /// sorting every stay.
    /// </summary>
    public Table DwellCounts { get; }

    /// <summary>Running counts (and amounts) of deals by status, loss reason and filter attributes: totals and losses as they stand.</summary>
    public Table DealCounts { get; }

    /// <summary>The projection's own running state per deal (so a batch never re-reads history), apart from what reports read.</summary>
    public Table DealStates { get; }

    /// <summary>The running counters (column n): a row at zero counts nothing, as no row does.</summary>
    public IReadOnlyList<Table> Counters => [StageCounts, DwellCounts, DealCounts];

    public IReadOnlyList<Table> All => [PipelineVersions, DealIntervals, StageResidencies, DealStageFacts, DealCurrent, StageCounts, DwellCounts, DealCounts, DealStates];

    private static void PipelineVersionColumns(Table t)
    {
        t.AddColumn("pipeline_id", "text").AsPrimaryKey();
        t.AddColumn("version", "integer").AsPrimaryKey();
        t.AddColumn("name", "text").NotNull();
        t.AddColumn("stages", "jsonb").NotNull();
        t.AddColumn("valid_from", "timestamptz").NotNull();
        t.AddColumn("valid_to", "timestamptz").AllowNulls();
        t.AddColumn("seq", "bigint").NotNull();
        t.AddColumn("recorded_at", "timestamptz").NotNull();
    }

    /// <summary>The columns of a deal's interval that point-in-time reports read (besides pipeline, times and status).</summary>
    public static readonly string[] IntervalReadColumns = ["deal_id", "seq", "stage", "status", "amount", "owner", "team", "region", "product", "expected_close"];

    private static void DealIntervalColumns(Table t)
    {
        t.AddColumn("deal_id", "text").AsPrimaryKey();
        t.AddColumn("version", "integer").AsPrimaryKey();
        AddDealColumns(t);
        t.AddColumn("valid_from", "timestamptz").NotNull();
        t.AddColumn("valid_to", "timestamptz").AllowNulls();
        t.AddColumn("period", "tstzrange").NotNull();
        t.AddColumn("seq", "bigint").NotNull();
        t.AddColumn("recorded_at", "timestamptz").NotNull();
        t.AddColumn("closed_seq", "bigint").AllowNulls();
        t.AddColumn("closed_recorded_at", "timestamptz").AllowNulls();

        // Point-in-time reads: open periods by a range index, closed ones (whose last period never ends) by their start.
        // Both carry what snapshots, forecasts and velocity read, so they are answered from the index alone.
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_open_period")
        {
            Columns = ["period"], Method = IndexMethod.gist, Predicate = "status = 'open'", IncludeColumns = ["pipeline_id", "recorded_at", .. IntervalReadColumns],
        });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_closed_from")
        {
            Columns = ["pipeline_id", "valid_from"], Predicate = "status <> 'open'", IncludeColumns = ["valid_to", "recorded_at", .. IntervalReadColumns],
        });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_recorded") { Columns = ["pipeline_id", "recorded_at"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_valid_from") { Columns = ["pipeline_id", "valid_from"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_closed_recorded") { Columns = ["closed_recorded_at"], Predicate = "closed_recorded_at is not null" });
    }

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

    private static void DealCurrentColumns(Table t)
    {
        t.AddColumn("deal_id", "text").AsPrimaryKey();
        AddDealColumns(t);
        t.AddColumn("captured_at", "timestamptz").NotNull();
        t.AddColumn("stage_entered_at", "timestamptz").NotNull();
        t.AddColumn("closed_at", "timestamptz").AllowNulls();
        t.AddColumn("status_changed_at", "timestamptz").NotNull();
        t.AddColumn("version", "integer").NotNull();
        t.AddColumn("last_seq", "bigint").NotNull();
        t.Indexes.Add(new IndexDefinition("ix_deal_current_status") { Columns = ["pipeline_id", "status", "stage"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_current_owner") { Columns = ["pipeline_id", "owner"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_current_closed")
        {
            Columns = ["pipeline_id", "closed_at"], Predicate = "status <> 'open'", IncludeColumns = ["status", "amount", "captured_at", "owner", "team", "region", "product"],
        });
    }

    private static void AddDealColumns(Table t)
    {
        t.AddColumn("pipeline_id", "text").NotNull();
        t.AddColumn("stage", "text").NotNull();
        t.AddColumn("status", "text").NotNull();
        t.AddColumn("amount", "numeric").NotNull();
        t.AddColumn("currency", "text").NotNull();
        t.AddColumn("owner", "text").NotNull();
        t.AddColumn("team", "text").AllowNulls();
        t.AddColumn("region", "text").AllowNulls();
        t.AddColumn("product", "text").AllowNulls();
        t.AddColumn("account", "text").AllowNulls();
        t.AddColumn("expected_close", "date").AllowNulls();
        t.AddColumn("loss_reason", "text").AllowNulls();
    }

    /// <summary>The deal's current status (and since when) and filter attributes, kept on its rows so reports read one table.</summary>
    private static void AddAttributeColumns(Table t)
    {
        t.AddColumn("status", "text").NotNull();
        t.AddColumn("status_changed_at", "timestamptz").NotNull();
        t.AddColumn("owner", "text").NotNull();
        t.AddColumn("team", "text").AllowNulls();
        t.AddColumn("region", "text").AllowNulls();
        t.AddColumn("product", "text").AllowNulls();
    }

    /// <summary>Key columns of the counters: status and filter attributes, '' for none (a key column cannot be null).</summary>
    private static void AddCountKeyColumns(Table t)
    {
        t.AddColumn("status", "text").AsPrimaryKey();
        t.AddColumn("owner", "text").AsPrimaryKey();
        t.AddColumn("team", "text").AsPrimaryKey();
        t.AddColumn("region", "text").AsPrimaryKey();
        t.AddColumn("product", "text").AsPrimaryKey();
    }

    private Table Define(string name, Action<Table> columns)
    {
        var table = new Table(new PostgresqlObjectName(Schema, name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        columns(table);
        return table;
    }
}
