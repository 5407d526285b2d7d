using Funnel.Domain.Activities;
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

    [Fact]
    public void the_daily_record_leaves_the_deals_own_history_as_it_was()
    {
        var without = DemoHistory.Deals(300, End, withActivities: false).SelectMany(d => d.Events).ToList();
        var with = DemoHistory.Deals(300, End).SelectMany(d => d.Events).ToList();

        Assert.Equal(without, with.Where(e => e is not ActivityLogged), (a, b) => a.ToString() == b.ToString());
        Assert.True(with.Count > without.Count * 2, "deals are worked");
    }

    [Fact]
    public void the_daily_record_has_gaps_to_find()
    {
        var deals = DemoHistory.Deals(3000, End).ToList();
        var activities = deals.SelectMany(d => d.Events).OfType<ActivityLogged>().Concat(DemoHistory.Prospecting(End).SelectMany(r => r.Events).OfType<ActivityLogged>()).ToList();
        var leaver = deals.SelectMany(d => d.Events).OfType<DealOwnerReassigned>().First();

        // Weekdays only, within the year, each on its deal's owner or the rep's own stream.
        Assert.All(activities, a => Assert.True(a.OccurredAt.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && a.OccurredAt >= End.AddDays(-365) && a.OccurredAt < End, $"{a}"));
        Assert.DoesNotContain(activities, a => a.Rep == leaver.PreviousOwner && a.OccurredAt.Date >= leaver.OccurredAt.Date);

        // Weekdays without any record over the last 8 weeks: the patchy rep misses far more than the others.
        var weekdays = Enumerable.Range(1, 56).Select(i => DateOnly.FromDateTime(End.AddDays(-i).UtcDateTime)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
        int Missing(string rep) => weekdays.Count(day => !activities.Any(a => a.Rep == rep && DateOnly.FromDateTime(a.OccurredAt.UtcDateTime) == day));
        var others = activities.Select(a => a.Rep).Distinct().Where(r => r != DemoActivities.PatchyRep && r != leaver.PreviousOwner).Select(Missing).ToList();
        Assert.True(Missing(DemoActivities.PatchyRep) > 2 * others.Average(), $"patchy {Missing(DemoActivities.PatchyRep)}, others {string.Join(", ", others)}");
        Assert.Contains(others, m => m > 0);
    }

    private static DateTimeOffset OccurredAt(object e) => (DateTimeOffset)e.GetType().GetProperty("OccurredAt")!.GetValue(e)!;
}
