using Funnel.Domain.Deals;
using Funnel.Host.Demo;

namespace Funnel.Host.Tests.Demo;

public sealed class DemoHistoryTests
{
    private static readonly DateTimeOffset End = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void the_same_end_gives_the_same_history()
    {
        var first = DemoHistory.Deals(300, End).SelectMany(d => d.Events).ToList();
        var second = DemoHistory.Deals(300, End).SelectMany(d => d.Events).ToList();
        Assert.Equal(first, second, (a, b) => a.ToString() == b.ToString());
    }

    [Fact]
    public void the_history_is_a_living_funnel_within_its_year()
    {
        var deals = DemoHistory.Deals(3000, End).ToList();
        var events = deals.SelectMany(d => d.Events).ToList();
        var states = deals.Select(d => Deal.Fold(d.Events)!).ToList();

        Assert.Equal(3000, states.Count);
        Assert.All(events, e => Assert.InRange(OccurredAt(e), End.AddDays(-366), End));
        Assert.Contains(events, e => e is DealStageChanged { Regression: true });
        Assert.Contains(events, e => e is QuoteSent);
        Assert.True(events.OfType<DealLost>().Select(l => l.Reason).Distinct().Count() >= 5, "losses carry several reasons");
        Assert.True(states.Count(s => s.Status == DealStatus.Open) >= 200, "a live pipeline of open deals");
        Assert.True(states.Count(s => s.Status == DealStatus.Won) >= 300, "wins");

        // The rep who leaves keeps no open deal: every one was handed over, at the day they left.
        var handovers = events.OfType<DealOwnerReassigned>().ToList();
        Assert.NotEmpty(handovers);
        Assert.Single(handovers.Select(h => (h.PreviousOwner, h.Owner, h.OccurredAt, h.HandoverReason)).Distinct());
        Assert.Equal("left the company", handovers[0].HandoverReason);
        Assert.DoesNotContain(states, s => s.Status == DealStatus.Open && s.Owner == handovers[0].PreviousOwner);
    }

    [Fact]
    public void the_targets_add_up_from_reps_to_teams_to_the_organisation_and_the_leaver_drops_out()
    {
        var targets = DemoHistory.Targets(End).ToList();
        var leaver = DemoHistory.Deals(3000, End).SelectMany(d => d.Events).OfType<DealOwnerReassigned>().First();

        // Every quarter the year touches: 365 days reach into five calendar quarters unless the year starts on a quarter's first day.
        Assert.InRange(targets.Count, 4, 5);
        Assert.All(targets, t =>
        {
            Assert.Null(t.Tree.Check());
            Assert.Empty(t.Tree.Warnings());
            Assert.Equal(t.Tree.Organisation.WonAmount, t.Tree.Teams.Sum(team => team.Targets.WonAmount));
            Assert.All(t.Tree.Teams, team => Assert.Equal(team.Targets.WonAmount, team.Reps.Sum(r => r.Targets.WonAmount)));
            var leaverTargeted = t.Tree.Teams.SelectMany(team => team.Reps).Any(r => r.Rep == leaver.PreviousOwner);
            Assert.Equal(t.OccurredAt <= leaver.OccurredAt, leaverTargeted);
        });
    }

    private static DateTimeOffset OccurredAt(object e) => (DateTimeOffset)e.GetType().GetProperty("OccurredAt")!.GetValue(e)!;
}
