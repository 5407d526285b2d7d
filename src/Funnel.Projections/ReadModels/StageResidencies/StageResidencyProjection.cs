using Funnel.Domain.Deals;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>How a deal's stays in stages begin and end.</summary>
public sealed partial class TimelineProjection
{
    /// <summary>A stay begins when the deal is open in a stage it was not open in.</summary>
    private void EnterResidency(IEvent e, DealTimelineState state, string stage, DateTimeOffset at, DealAttributes attributes)
    {
        state.Residencies++;
        cache.Batch.Residencies[(state.Deal.Id, state.Residencies)] = new ResidencyRow(state.Deal.Id, state.Residencies, state.Deal.PipelineId, stage, at, e.Sequence, attributes);
    }

    /// <summary>How the deal event <paramref name="data"/> ends the stay it ends.</summary>
    private static string ExitKindOf(object data) => data switch
    {
        DealStageChanged { Regression: true } => "regressed",
        DealStageChanged => "advanced",
        DealWon => "won",
        _ => "lost",
    };

    /// <summary>Ends the deal's open residency: in the batch if it began there, else by a statement (which also counts its dwell).</summary>
    private void ExitResidency(IDocumentOperations operations, IEvent e, DealTimelineState state, DateTimeOffset at, string? nowOpenIn, string exitKind)
    {
        var key = (state.Deal.Id, state.Residencies);
        if (cache.Batch.Residencies.TryGetValue(key, out var residency))
        {
            cache.Batch.Residencies[key] = residency with { ExitedAt = at, ExitKind = exitKind, NextStage = nowOpenIn ?? exitKind, ExitedSeq = e.Sequence };
        }
        else
        {
            Sql.ExitResidency(operations, state.Deal.Id, state.Residencies, exitedAt: at, exitKind, nextStage: nowOpenIn ?? exitKind, exitedSeq: e.Sequence);
        }
    }
}
