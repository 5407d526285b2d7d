using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

public sealed class WinDealTests
{
    [Fact]
    public void a_win_keeps_the_current_amount_and_stage_by_default() =>
        Assert.Equal(
            [new DealWon("D", "propose", 1000m, T0.AddDays(1))],
            new WinDeal("D", null, T0.AddDays(1)).Decide(Deal(Captured("propose")), Classic, Now).Then());

    [Fact]
    public void a_win_can_set_the_final_amount() =>
        Assert.Equal(900m, ((DealWon)new WinDeal("D", 900m, T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then()[0]).Amount);

    [Fact]
    public void winning_a_lost_deal_is_a_conflict() =>
        new WinDeal("D", null, T0.AddDays(2)).Decide(Deal(Captured(), new DealLost("D", "validate", "x", T0.AddDays(1))), Classic, Now)
            .Refused(RejectionKind.Conflict, "status", "deal-closed");
}
