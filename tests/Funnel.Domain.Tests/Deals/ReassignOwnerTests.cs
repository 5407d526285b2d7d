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
