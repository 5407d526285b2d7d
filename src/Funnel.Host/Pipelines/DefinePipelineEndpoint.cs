using Funnel.Domain.Pipelines;
using JasperFx;
using Marten.Exceptions;
using Wolverine.Attributes;

namespace Funnel.Host.Pipelines;

/// <summary>The body of PUT /api/pipelines/{pipelineId}.</summary>
public sealed record PipelineDefinition(string? Name, IReadOnlyList<StageDefinition>? Stages, DateTimeOffset? OccurredAt = null);

/// <summary>It saves itself, to answer a concurrent redefinition with a 409: no transaction middleware.</summary>
[NonTransactional]
[Tags("Pipelines"), RequiresScope(Scopes.PipelinesAdmin)]
public static class DefinePipelineEndpoint
{
    /// <summary>Creates or redefines a pipeline; an unchanged definition appends nothing.</summary>
    [WolverinePut("/api/pipelines/{pipelineId}", OperationId = "definePipeline", Summary = "Creates (201) or redefines (200) a pipeline; an unchanged definition appends nothing.")]
    [ProducesResponseType<PipelineView>(StatusCodes.Status200OK)]
    [ProducesResponseType<PipelineView>(StatusCodes.Status201Created)]
    [Refuses(StatusCodes.Status409Conflict)]
    public static async Task<IResult> Put(string pipelineId, PipelineDefinition body, IDocumentSession session, PipelineCache cache, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Pipeline>(pipelineId, ct);
        var decision = new DefinePipeline(pipelineId, body.Name, body.Stages, body.OccurredAt).Decide(stream.Aggregate, clock.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }

        stream.AppendMany(decision.Events);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException)
        {
            return Problems.From(Rejection.Conflict("pipelineId", "version-conflict", "The pipeline was redefined while this request ran; try again."));
        }

        cache.Forget(session.TenantId, pipelineId);
        var pipeline = await session.LoadAsync<Pipeline>(pipelineId, ct);
        var view = PipelineView.From(pipeline!);
        return stream.Aggregate is null ? Results.Created($"/api/pipelines/{Uri.EscapeDataString(pipelineId)}", view) : Results.Ok(view);
    }
}
