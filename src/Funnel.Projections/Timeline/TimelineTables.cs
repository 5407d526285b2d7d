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
/// recorded time (Marten's timestamp) answers "as known at". Each read model's table is declared in its folder under ReadModels/.
/// </summary>
public sealed partial class TimelineTableSet(string schema)
{
    public string Schema => schema;

    /// <summary>The running counters (column n): a row at zero counts nothing, as no row does.</summary>
    public IReadOnlyList<Table> Counters => [StageCounts, DwellCounts, DealCounts];

    public IReadOnlyList<Table> All => [PipelineVersions, DealIntervals, StageResidencies, DealStageFacts, DealCurrent, StageCounts, DwellCounts, DealCounts, DealStates];

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

    private static Table Define(string schema, string name, Action<Table> columns)
    {
        var table = new Table(new PostgresqlObjectName(schema, name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        columns(table);
        return table;
    }
}
