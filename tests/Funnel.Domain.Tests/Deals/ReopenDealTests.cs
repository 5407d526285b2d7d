using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

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
