using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Brings a won or lost deal back into the funnel, into the given stage or the one it closed from.</summary>
public sealed record ReopenDeal(string DealId, string? Stage = null, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var stage = Stage ?? deal.Stage;
        var rejection = Rejection.FirstOf(
            DealRules.CheckStage(pipeline, stage),
            DealRules.CheckTime(deal, at, now),
            deal.Status == DealStatus.Open ? Rejection.Conflict("status", "deal-open", "Only a won or lost deal can be reopened.") : null);
        return rejection ?? Decision.Accept(new DealReopened(DealId, stage, deal.Status, at));
    }
}
