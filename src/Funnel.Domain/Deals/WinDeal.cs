using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Closes a deal as won, at the final amount (the current amount when none is given).</summary>
public sealed record WinDeal(string DealId, decimal? Amount = null, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var rejection = DealRules.FirstOf(
            Amount is null ? null : DealRules.CheckAmount(Amount),
            DealRules.CheckTime(deal, at, now),
            DealRules.MustBeOpen(deal));
        return rejection ?? Decision.Accept(new DealWon(DealId, deal.Stage, Amount ?? deal.Amount, at));
    }
}
