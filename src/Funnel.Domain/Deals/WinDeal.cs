using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Closes a deal as won, at the final amount (the current amount when none is given).</summary>
public sealed record WinDeal(string DealId, decimal? Amount = null, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now) =>
        DealRules.OnOpenDeal(deal, OccurredAt, now, [Amount is null ? null : DealRules.CheckAmount(Amount)], at =>
            Decision.Accept(new DealWon(DealId, deal.Stage, Amount ?? deal.Amount, at)));
}
