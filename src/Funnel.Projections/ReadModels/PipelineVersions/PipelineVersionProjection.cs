using Funnel.Domain.Pipelines;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>How a pipeline's definition becomes its versions.</summary>
public sealed partial class TimelineProjection
{
    private void ApplyPipeline(IDocumentOperations operations, IEvent e, string pipelineId, string name, IReadOnlyList<StageDefinition> stages, DateTimeOffset at)
    {
        if (cache.CurrentPipeline(pipelineId) is { } previous)
        {
            Sql.ClosePipeline(operations, pipelineId, previous.Version, validTo: at);
        }

        var row = new PipelineVersionRow(pipelineId, (int)e.Version, name, [.. stages], at, null, e.Sequence, e.Timestamp);
        cache.AddPipeline(row);
        Sql.UpsertPipeline(operations, row);
    }
}
