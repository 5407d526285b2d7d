using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Moves an open deal to another stage; a move back in the pipeline order is recorded as a regression.</summary>
public sealed record ChangeStage(string DealId, string? Stage, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var rejection = DealRules.FirstOf(
            Stage is null ? Rejection.Invalid("stage", "required", "stage is required.") : DealRules.CheckStage(pipeline, Stage),
            DealRules.CheckTime(deal, at, now),
            DealRules.MustBeOpen(deal));
        if (rejection is not null)
        {
            return rejection;
        }

        if (Stage == deal.Stage)
        {
            return Decision.Unchanged;
        }

        var regression = pipeline.IndexOf(Stage!) < pipeline.IndexOf(deal.Stage);
        return Decision.Accept(new DealStageChanged(DealId, deal.Stage, Stage!, regression, at));
    }
}
