using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Records a quote sent to the customer; the quoted amount becomes the deal's amount.</summary>
public sealed record SendQuote(string DealId, decimal? Amount, string? QuoteId = null, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now) =>
        DealRules.OnOpenDeal(deal, OccurredAt, now, [DealRules.CheckAmount(Amount), Text.Check(QuoteId, "quoteId", required: false)], at =>
            Decision.Accept(new QuoteSent(DealId, QuoteId, Amount!.Value, deal.Amount, at)));
}
