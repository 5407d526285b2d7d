using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

public sealed record ChangeAmount(string DealId, decimal? Amount, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var rejection = DealRules.FirstOf(
            DealRules.CheckAmount(Amount),
            DealRules.CheckTime(deal, at, now),
            DealRules.MustBeOpen(deal));
        if (rejection is not null)
        {
            return rejection;
        }

        return Amount == deal.Amount ? Decision.Unchanged : Decision.Accept(new DealAmountChanged(DealId, Amount!.Value, deal.Amount, at));
    }
}
