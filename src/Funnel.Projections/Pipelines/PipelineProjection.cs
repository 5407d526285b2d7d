using Funnel.Domain.Pipelines;

namespace Funnel.Projections.Pipelines;

/// <summary>The pipeline's current definition, kept inline.</summary>
public sealed class PipelineProjection() : FoldProjection<Pipeline>(PipelineEvents.All, Pipeline.Evolve, (pipeline, version) => pipeline.Version = version);
