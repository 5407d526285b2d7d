using Funnel.Projections.Timeline;

namespace Funnel.Projections.Tests;

/// <summary>How a batch's counter changes are netted before one statement adds them (no database: pure arithmetic).</summary>
public sealed class TimelineCountsTests
{
    [Fact]
    public void a_batch_nets_its_changes_per_counter_and_leaves_out_those_that_cancel()
    {
        // Deal 1 was open in validate and is won (validate advanced); deal 2 is captured into validate.
        var changes = new[] { Validate("open", false, -1), Validate("won", true, 1), Validate("open", false, 1) };

        Assert.Equal([Validate("won", true, 1)], TimelineCounts.Net(changes));
    }

    [Fact]
    public void a_deal_count_change_takes_back_the_old_contribution_and_adds_the_new_one()
    {
        var open = new DealCount("sales", "", "open", "ann", "", "", "", 1, 100m);
        var won = open with { Status = "won", Amount = 120m };

        Assert.Equal([open with { N = -1, Amount = -100m }, won], TimelineCounts.Changes(open, won));
        Assert.Equal([won], TimelineCounts.Changes(null, won));
        Assert.Empty(TimelineCounts.Changes(won, won));
    }

    [Fact]
    public void deal_count_changes_net_their_counts_and_amounts()
    {
        // Two of ann's open deals (100 and 50) are lost for the same reason in one batch.
        var open = new DealCount("sales", "", "open", "ann", "", "", "", 1, 0m);
        var lost = open with { Status = "lost", LossReason = "price" };
        var changes = new[] { open with { N = -1, Amount = -100m }, lost with { Amount = 100m }, open with { N = -1, Amount = -50m }, lost with { Amount = 50m } };

        Assert.Equal([open with { N = -2, Amount = -150m }, lost with { N = 2, Amount = 150m }], TimelineCounts.Net(changes));
    }

    private static StageCount Validate(string status, bool advanced, long n) => new("sales", "validate", advanced, status, "ann", "", "", "", n);
}
