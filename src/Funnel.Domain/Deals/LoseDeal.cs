using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

public sealed record LoseDeal(string DealId, string? Reason, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var rejection = DealRules.FirstOf(
            Text.Check(Reason, "reason", required: true),
            DealRules.CheckTime(deal, at, now),
            DealRules.MustBeOpen(deal));
        return rejection ?? Decision.Accept(new DealLost(DealId, deal.Stage, Reason!.Trim(), at));
    }
}
