using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

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
