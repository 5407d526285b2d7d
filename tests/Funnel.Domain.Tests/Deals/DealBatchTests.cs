using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Deals;

/// <summary>A batch decides its commands in order, each all or nothing, each against the deal the commands before it left.</summary>
public sealed class DealBatchTests
{
    private static readonly Dictionary<string, Pipeline> Pipelines = new() { ["sales"] = Classic };

    /// <summary>Deal "D" as stored: captured into validate at T0, version 1.</summary>
    private static readonly Dictionary<string, Deal> Stored = new() { ["D"] = Deal(Captured()) };

    private static CaptureDeal Capture(string id, decimal amount = 100m) => new(id, "sales", "New", "bob", amount, OccurredAt: T0.AddDays(1));

    [Fact]
    public void results_come_in_the_order_of_the_commands_and_a_refused_one_adds_nothing()
    {
        object[] commands =
        [
            new ChangeStage("D", "develop", T0.AddDays(1)),
            new ChangeStage("D", "nowhere", T0.AddDays(2)),
            Capture("N"),
            new ChangeAmount("ghost", 5m),
            new WinDeal("D", 900m, T0.AddDays(3)),
        ];

        var (results, appends) = DealBatch.Decide(commands, Stored, Pipelines, Now);

        Assert.Equal(
            [("D", 2L, null), ("D", 0L, "unknown-stage"), ("N", 1L, null), ("ghost", 0L, "unknown-deal"), ("D", 3L, null)],
            results.Select(r => (r.DealId, r.Version, r.Rejection?.Rule)));
        Assert.True(results[2].Created);
        var d = Assert.Single(appends, a => a.DealId == "D");
        Assert.Equal(1, d.VersionBefore);
        Assert.Equal([typeof(DealStageChanged), typeof(DealWon)], d.Events.Select(e => e.GetType()));
        Assert.Equal(0, Assert.Single(appends, a => a.DealId == "N").VersionBefore);
        Assert.Equal(2, appends.Count);
    }

    [Fact]
    public void a_command_sees_what_the_commands_before_it_did_to_its_deal()
    {
        object[] commands =
        [
            Capture("N", 100m),
            new ChangeStage("N", "propose", T0.AddDays(2), ExpectedVersion: 1),
            new ChangeAmount("N", 250m, T0.AddDays(3), ExpectedVersion: 1),
            new LoseDeal("N", "price", T0.AddDays(4), ExpectedVersion: 2),
            new ChangeStage("N", "close", T0.AddDays(5)),
            Capture("N"),
        ];

        var (results, appends) = DealBatch.Decide(commands, Stored, Pipelines, Now);

        Assert.Equal(
            [(1L, null), (2L, null), (0L, "version-conflict"), (3L, null), (0L, "deal-closed"), (0L, "duplicate-deal")],
            results.Select(r => (r.Version, r.Rejection?.Rule)));
        Assert.Equal([typeof(DealCaptured), typeof(DealStageChanged), typeof(DealLost)], Assert.Single(appends).Events.Select(e => e.GetType()));
    }

    [Fact]
    public void the_stored_deals_are_not_changed_by_deciding()
    {
        var stored = new Dictionary<string, Deal> { ["D"] = Deal(Captured()) };

        DealBatch.Decide([new ChangeStage("D", "close", T0.AddDays(1)), new WinDeal("D", 1m, T0.AddDays(2))], stored, Pipelines, Now);

        Assert.Equal(("validate", DealStatus.Open, 1), (stored["D"].Stage, stored["D"].Status, stored["D"].Version));
    }
}
