using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

public sealed record ChangeExpectedClose(string DealId, DateOnly? ExpectedCloseDate, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var rejection = DealRules.FirstOf(
            ExpectedCloseDate is null ? Rejection.Invalid("expectedCloseDate", "required", "expectedCloseDate is required (yyyy-MM-dd).") : null,
            BusinessTime.CheckDate(ExpectedCloseDate, "expectedCloseDate"),
            DealRules.CheckTime(deal, at, now),
            DealRules.MustBeOpen(deal));
        if (rejection is not null)
        {
            return rejection;
        }

        return ExpectedCloseDate == deal.ExpectedCloseDate
            ? Decision.Unchanged
            : Decision.Accept(new DealExpectedCloseDateChanged(DealId, ExpectedCloseDate, at));
    }
}
