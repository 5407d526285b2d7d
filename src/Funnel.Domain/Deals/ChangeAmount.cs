using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

public sealed record ChangeAmount(string DealId, decimal? Amount, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now) =>
        DealRules.OnOpenDeal(deal, OccurredAt, now, [DealRules.CheckAmount(Amount)], at =>
            Amount == deal.Amount ? Decision.Unchanged : Decision.Accept(new DealAmountChanged(DealId, Amount!.Value, deal.Amount, at)));
}
