using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

public sealed class ChangeStageTests
{
    [Fact]
    public void moving_forward_is_not_a_regression() =>
        Assert.Equal(
            [new DealStageChanged("D", "validate", "propose", false, T0.AddDays(1))],
            new ChangeStage("D", "propose", T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void moving_back_is_a_regression() =>
        Assert.Equal(
            [new DealStageChanged("D", "close", "develop", true, T0.AddDays(1))],
            new ChangeStage("D", "develop", T0.AddDays(1)).Decide(Deal(Captured("close")), Classic, Now).Then());

    [Fact]
    public void the_stage_it_is_in_changes_nothing() =>
        Assert.Empty(new ChangeStage("D", "validate", T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void a_time_before_the_latest_event_is_a_conflict() =>
        new ChangeStage("D", "develop", T0.AddSeconds(-1)).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Conflict, "occurredAt", "occurred-at-order");

    [Fact]
    public void the_same_instant_as_the_latest_event_is_accepted() =>
        Assert.Single(new ChangeStage("D", "develop", T0).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void a_won_deal_cannot_move() =>
        new ChangeStage("D", "develop", T0.AddDays(2)).Decide(Deal(Captured(), new DealWon("D", "validate", 5m, T0.AddDays(1))), Classic, Now)
            .Refused(RejectionKind.Conflict, "status", "deal-closed");

    [Fact]
    public void an_unknown_stage_is_invalid_even_on_a_closed_deal() =>
        new ChangeStage("D", "nope", T0.AddDays(2)).Decide(Deal(Captured(), new DealLost("D", "validate", "x", T0.AddDays(1))), Classic, Now)
            .Refused(RejectionKind.Invalid, "stage", "unknown-stage");

    [Fact]
    public void a_missing_stage_is_invalid() =>
        new ChangeStage("D", null).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "stage", "required");
}
