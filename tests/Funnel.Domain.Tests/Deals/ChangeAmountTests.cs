using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

public sealed class ChangeAmountTests
{
    [Fact]
    public void a_new_amount_records_the_previous_one() =>
        Assert.Equal(
            [new DealAmountChanged("D", 0m, 1000m, T0.AddDays(1))],
            new ChangeAmount("D", 0m, T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void the_same_amount_changes_nothing() =>
        Assert.Empty(new ChangeAmount("D", 1000m, T0.AddDays(1)).Decide(Deal(Captured()), Classic, Now).Then());

    [Fact]
    public void a_missing_amount_is_invalid() =>
        new ChangeAmount("D", null).Decide(Deal(Captured()), Classic, Now).Refused(RejectionKind.Invalid, "amount", "required");
}
