using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

public sealed class ReassignOwnerTests
{
    [Fact]
    public void a_reassignment_keeps_team_and_region_unless_given() =>
        Assert.Equal(
            [new DealOwnerReassigned("D", "bob", "east", "emea", "ann", T0.AddDays(1))],
            new ReassignOwner("D", "bob", OccurredAt: T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void a_reassignment_can_move_team_and_region() =>
        Assert.Equal(
            [new DealOwnerReassigned("D", "bob", "west", "apac", "ann", T0.AddDays(1))],
            new ReassignOwner("D", "bob", "west", "apac", T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void the_same_owner_team_and_region_change_nothing() =>
        Assert.Empty(new ReassignOwner("D", "ann", OccurredAt: T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void an_empty_owner_is_invalid() =>
        new ReassignOwner("D", " ").Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "owner", "required");
}

public sealed class ChangeExpectedCloseTests
{
    [Fact]
    public void a_new_date_is_recorded() =>
        Assert.Equal(
            [new DealExpectedCloseDateChanged("D", new DateOnly(2026, 9, 30), T0.AddDays(1))],
            new ChangeExpectedClose("D", new DateOnly(2026, 9, 30), T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void the_same_date_changes_nothing() =>
        Assert.Empty(new ChangeExpectedClose("D", new DateOnly(2026, 5, 31), T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());
}

public sealed class LoseDealTests
{
    [Fact]
    public void a_loss_records_the_stage_it_was_lost_from_and_the_reason() =>
        Assert.Equal(
            [new DealLost("D", "develop", "price", T0.AddDays(1))],
            new LoseDeal("D", " price ", T0.AddDays(1)).Decide(Deal(Captured("develop")), Classic, Now).Then());

    [Fact]
    public void a_loss_without_reason_is_invalid() =>
        new LoseDeal("D", null).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "reason", "required");
}

public sealed class ReopenDealTests
{
    private static readonly object Lost = new DealLost("D", "develop", "price", T0.AddDays(1));

    [Fact]
    public void a_lost_deal_reopens_into_the_given_stage() =>
        Assert.Equal(
            [new DealReopened("D", "propose", DealStatus.Lost, T0.AddDays(2))],
            new ReopenDeal("D", "propose", T0.AddDays(2)).Decide(Deal(Captured("develop"), Lost), Classic, Now).Then());

    [Fact]
    public void without_a_stage_it_reopens_where_it_closed() =>
        Assert.Equal("develop", ((DealReopened)new ReopenDeal("D", null, T0.AddDays(2)).Decide(Deal(Captured("develop"), Lost), Classic, Now).Then()[0]).Stage);

    [Fact]
    public void an_open_deal_cannot_be_reopened() =>
        new ReopenDeal("D", "develop", T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Conflict, "status", "deal-open");

    [Fact]
    public void a_reopened_deal_is_open_again_in_its_new_stage()
    {
        var deal = Deal(Captured("develop"), Lost, new DealReopened("D", "propose", DealStatus.Lost, T0.AddDays(2)));
        Assert.Equal((DealStatus.Open, "propose", T0.AddDays(2), (string?)null, 3), (deal.Status, deal.Stage, deal.StageEnteredAt, deal.LossReason, deal.Version));
    }
}

public sealed class DealCopyTests
{
    [Fact]
    public void evolving_a_copy_leaves_the_original_as_it_was()
    {
        var original = Deal(Captured());
        var copy = Funnel.Domain.Deals.Deal.Evolve(original.Copy(), new DealStageChanged("D", "validate", "develop", false, T0.AddDays(1)));

        Assert.Equal(("validate", 1), (original.Stage, original.Version));
        Assert.Equal(("develop", 2), (copy.Stage, copy.Version));
    }
}
