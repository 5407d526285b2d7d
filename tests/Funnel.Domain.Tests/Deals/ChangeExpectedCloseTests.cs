using Funnel.Domain.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

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
