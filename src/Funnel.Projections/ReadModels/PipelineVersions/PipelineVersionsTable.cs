using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>Each version of each pipeline's definition, valid from its date until the next one: [valid_from, valid_to).</summary>
    public Table PipelineVersions { get; } = Define(schema, TimelineTables.PipelineVersions,
        columns: ["pipeline_id text key", "version integer key", "name text", "stages jsonb", "valid_from timestamptz", "valid_to timestamptz?", "seq bigint", "recorded_at timestamptz"]);
}
