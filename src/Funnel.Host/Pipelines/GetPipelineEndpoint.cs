using Funnel.Domain.Pipelines;

namespace Funnel.Host.Pipelines;

public sealed record PipelineView(string PipelineId, string Name, IReadOnlyList<StageDefinition> Stages, long Version, DateTimeOffset DefinedAt)
{
    public static PipelineView From(Pipeline pipeline) => new(pipeline.Id, pipeline.Name, pipeline.Stages, pipeline.Version, pipeline.DefinedAt);
}

[Tags("Pipelines"), RequiresScope(Scopes.ReportsRead)]
public static class GetPipelineEndpoint
{
    [WolverineGet("/api/pipelines/{pipelineId}", OperationId = "getPipeline", Summary = "A pipeline's current definition: its stages in order, with win probabilities and maximum days.")]
    [ProducesResponseType<PipelineView>(StatusCodes.Status200OK)]
    [Refuses(StatusCodes.Status404NotFound)]
    public static async Task<IResult> Get(string pipelineId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Pipeline>(pipelineId, ct) is { } pipeline
            ? Results.Ok(PipelineView.From(pipeline))
            : Problems.From(Rejection.NotFound("pipelineId", "unknown-pipeline", $"There is no pipeline '{pipelineId}'."));
}
