using Funnel.Domain.Pipelines;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Funnel.Projections.Pipelines;

/// <summary>The pipeline's current definition, folded by the domain's own <see cref="Pipeline.Evolve"/>.</summary>
public sealed class PipelineProjection : SingleStreamProjection<Pipeline, string>
{
    public PipelineProjection()
    {
        foreach (var type in PipelineEvents.All)
        {
            IncludeType(type);
        }
    }

    public override Pipeline? Evolve(Pipeline? snapshot, string id, IEvent e)
    {
        var pipeline = Pipeline.Evolve(snapshot, e.Data);
        pipeline.Version = (int)e.Version;
        return pipeline;
    }
}
