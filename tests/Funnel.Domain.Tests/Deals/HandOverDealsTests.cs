using Funnel.Domain.Deals;

namespace Funnel.Domain.Tests.Deals;

/// <summary>The handover's rules, without a store: which deals move, with what, and when none does.</summary>
public sealed class HandOverDealsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddDays(10);

    private static Deal Open(string id, string owner, params object[] later) =>
        Deal.Fold([new DealCaptured(id, "sales", id, owner, "east", "emea", null, null, 100m, "USD", null, [], "validate", T0), .. later])!;

    [Fact]
    public void each_deal_gets_one_owner_change_after_its_own_version_carrying_the_reason()
    {
        var deals = new Dictionary<string, Deal>
        {
            ["B"] = Open("B", "ann", new DealStageChanged("B", "validate", "develop", false, T0.AddDays(1))),
            ["A"] = Open("A", "ann"),
        };

        var (moves, rejection) = new HandOverDeals("ann", " cid ", null, "apac", null, " left ", T0.AddDays(2)).Decide(deals, Now);

        Assert.Null(rejection);
        Assert.Equal(
            [
                new HandOverDeals.Move("A", 1, new DealOwnerReassigned("A", "cid", "east", "apac", "ann", T0.AddDays(2), "left")),
                new HandOverDeals.Move("B", 2, new DealOwnerReassigned("B", "cid", "east", "apac", "ann", T0.AddDays(2), "left")),
            ],
            moves);
    }

    [Fact]
    public void one_deal_that_cannot_move_stops_them_all()
    {
        var deals = new Dictionary<string, Deal>
        {
            ["A"] = Open("A", "ann"),
            ["C"] = Open("C", "ann", new DealLost("C", "validate", "price", T0.AddDays(1))),
        };

        var (moves, rejection) = new HandOverDeals("ann", "cid", null, null, ["A", "C"], "left", null).Decide(deals, Now);

        Assert.Empty(moves);
        Assert.Equal(("status", "deal-closed"), (rejection!.Field, rejection.Rule));
    }

    [Fact]
    public void no_open_deal_is_nothing_to_move()
    {
        var (moves, rejection) = new HandOverDeals("ann", "cid", null, null, null, "left", null).Decide(new Dictionary<string, Deal>(), Now);

        Assert.Empty(moves);
        Assert.Null(rejection);
    }
}
