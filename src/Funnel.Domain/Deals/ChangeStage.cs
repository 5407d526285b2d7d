using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Moves an open deal to another stage; a move back in the pipeline order is recorded as a regression.</summary>
public sealed record ChangeStage(string DealId, string? Stage, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now)
    {
        var checkStage = Stage is null ? Rejection.Invalid("stage", "required", "stage is required.") : DealRules.CheckStage(pipeline, Stage);
        return DealRules.OnOpenDeal(deal, OccurredAt, now, [checkStage], at => Stage == deal.Stage
            ? Decision.Unchanged
            : Decision.Accept(new DealStageChanged(DealId, deal.Stage, Stage!, Regression: pipeline.IndexOf(Stage!) < pipeline.IndexOf(deal.Stage), at)));
    }
}
