using Funnel.Domain.Pipelines;

namespace Funnel.Projections.Timeline;

/// <summary>A row of pipeline_versions: one version of a pipeline's definition and when it held.</summary>
public sealed record PipelineVersionRow(
    string PipelineId, int Version, string Name, List<StageDefinition> Stages, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, long Seq, DateTimeOffset RecordedAt);
