namespace Funnel.Domain.Pipelines;

/// <summary>One stage of a pipeline; <paramref name="MaxDays"/> optionally caps how long a deal may stay before it counts as stalled.</summary>
public sealed record StageDefinition(string Id, string Name, decimal Probability, decimal? MaxDays = null);

public sealed record PipelineDefined(string PipelineId, string Name, IReadOnlyList<StageDefinition> Stages, DateTimeOffset OccurredAt);

public sealed record PipelineRedefined(string PipelineId, string Name, IReadOnlyList<StageDefinition> Stages, DateTimeOffset OccurredAt);

public static class PipelineEvents
{
    public static readonly IReadOnlyList<Type> All = [typeof(PipelineDefined), typeof(PipelineRedefined)];
}
