using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

public sealed record ChangeExpectedClose(string DealId, DateOnly? ExpectedCloseDate, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now) => DealRules.OnOpenDeal(
        deal,
        OccurredAt,
        now,
        [
            ExpectedCloseDate is null ? Rejection.Invalid("expectedCloseDate", "required", "expectedCloseDate is required (yyyy-MM-dd).") : null,
            BusinessTime.CheckDate(ExpectedCloseDate, "expectedCloseDate"),
        ],
        at => ExpectedCloseDate == deal.ExpectedCloseDate ? Decision.Unchanged : Decision.Accept(new DealExpectedCloseDateChanged(DealId, ExpectedCloseDate, at)));
}
