using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>Each version of each pipeline's definition, valid from its date until the next one: [valid_from, valid_to).</summary>
    public Table PipelineVersions { get; } = Define(schema, TimelineTables.Names.PipelineVersions, PipelineVersionColumns);

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
}
