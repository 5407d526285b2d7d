using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

public sealed record LoseDeal(string DealId, string? Reason, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now) =>
        DealRules.OnOpenDeal(deal, OccurredAt, now, [Text.Check(Reason, "reason", required: true)], at =>
            Decision.Accept(new DealLost(DealId, deal.Stage, Reason!.Trim(), at)));
}
