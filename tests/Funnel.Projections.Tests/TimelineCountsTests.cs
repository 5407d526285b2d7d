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

        Assert.Equivalent(new[] { open with { N = -2, Amount = -150m }, lost with { N = 2, Amount = 150m } }, TimelineCounts.Net(changes), strict: true);
    }

    private static StageCount Validate(string status, bool advanced, long n) => new("sales", "validate", advanced, status, "ann", "", "", "", new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), n);
}

/// <summary>A deal's dated stage counts, worked out by hand from its statuses and stage facts (no database).</summary>
public sealed class DatedStageCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_reopened_deal_counts_lost_then_open_again_from_each_stage_it_entered()
    {
        // Captured into a on day 0, b on day 2 (a advanced), lost on 3, reopened on 5; owner ann.
        var state = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Version = 4, Status = Domain.Deals.DealStatus.Open, Stage = "b" },
            Statuses = [new(Day(0), "open"), new(Day(3), "lost"), new(Day(5), "open")],
            Facts = { ["a"] = new StageFact { FirstEnteredAt = Day(0), AdvancedAt = Day(2) }, ["b"] = new StageFact { FirstEnteredAt = Day(2) } },
        };

        DatedStageCount Count(string stage, string status, double day, long n) => new("p", stage, status, "ann", "", "", "", Day(day), n);
        Assert.Equal(
        [
            Count("", "open", 0, 1), Count("", "open", 3, -1), Count("", "lost", 3, 1), Count("", "lost", 5, -1), Count("", "open", 5, 1),
            Count("a", "open", 0, 1), Count("a", "open", 3, -1), Count("a", "lost", 3, 1), Count("a", "lost", 5, -1), Count("a", "open", 5, 1),
            Count("b", "open", 2, 1), Count("b", "open", 3, -1), Count("b", "lost", 3, 1), Count("b", "lost", 5, -1), Count("b", "open", 5, 1),
            Count("a", TimelineCounts.Advanced, 2, 1),
        ], TimelineCounts.DatedOf(state));
    }

    [Fact]
    public void a_reassignment_takes_back_every_dated_count_under_the_old_owner()
    {
        var before = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Version = 1, Status = Domain.Deals.DealStatus.Open, Stage = "a" },
            Statuses = [new(Day(0), "open")],
            Facts = { ["a"] = new StageFact { FirstEnteredAt = Day(0) } },
        };
        var after = new DealTimelineState { Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "dee", Version = 2, Status = Domain.Deals.DealStatus.Open, Stage = "a" }, Statuses = before.Statuses, Facts = before.Facts };

        var changes = TimelineCounts.NetChanges([(TimelineCounts.DatedOf(before), TimelineCounts.DatedOf(after))]).ToList();
        Assert.Equivalent(
            new[]
            {
                new DatedStageCount("p", "", "open", "ann", "", "", "", Day(0), -1), new DatedStageCount("p", "", "open", "dee", "", "", "", Day(0), 1),
                new DatedStageCount("p", "a", "open", "ann", "", "", "", Day(0), -1), new DatedStageCount("p", "a", "open", "dee", "", "", "", Day(0), 1),
            },
            changes,
            strict: true);
    }

    private static DateTimeOffset Day(double days) => T0.AddDays(days);
}

/// <summary>A deal's effort counts, worked out by hand from its stage facts and the activities counted in them (no database).</summary>
public sealed class EffortCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void each_stage_counts_its_entry_and_its_activities_by_kind_on_the_day_of_its_first_entry()
    {
        // Entered a on day 0 (advanced, two calls and an email), b on day 2 (not advanced, not worked); owner ann, team east.
        var a = new StageFact { FirstEnteredAt = T0, AdvancedAt = T0.AddDays(2) };
        a.Count("call", 1);
        a.Count("email", 1);
        a.Count("call", 1);
        var state = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Team = "east", Version = 3, Status = Domain.Deals.DealStatus.Open, Stage = "b" },
            Facts = { ["b"] = new StageFact { FirstEnteredAt = T0.AddDays(2) }, ["a"] = a },
        };

        EffortCount Count(string stage, bool advanced, bool worked, string kind, double day, long n) => new("p", stage, advanced, worked, kind, "ann", "east", "", "", T0.AddDays(day), n);
        Assert.Equal(
            [Count("a", true, true, "", 0, 1), Count("a", true, true, "call", 0, 2), Count("a", true, true, "email", 0, 1), Count("b", false, false, "", 2, 1)],
            TimelineCounts.EffortOf(state));
    }

    [Fact]
    public void an_activity_moved_out_of_a_stage_leaves_it_unworked()
    {
        // The only call in a moves to b (a deal event dated before it): a is no longer worked, and b is.
        var before = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Version = 2, Status = Domain.Deals.DealStatus.Open, Stage = "b" },
            Facts = { ["a"] = new StageFact { FirstEnteredAt = T0, AdvancedAt = T0.AddDays(1) }, ["b"] = new StageFact { FirstEnteredAt = T0.AddDays(1) } },
        };
        before.Facts["a"].Count("call", 1);
        var effortBefore = TimelineCounts.EffortOf(before);
        before.Facts["a"].Count("call", -1);
        before.Facts["b"].Count("call", 1);

        EffortCount Count(string stage, bool advanced, bool worked, string kind, double day, long n) => new("p", stage, advanced, worked, kind, "ann", "", "", "", T0.AddDays(day), n);
        Assert.Empty(before.Facts["a"].Activities!);
        Assert.Equal(
            [Count("a", true, true, "", 0, -1), Count("a", true, true, "call", 0, -1), Count("b", false, false, "", 1, -1),
             Count("a", true, false, "", 0, 1), Count("b", false, true, "", 1, 1), Count("b", false, true, "call", 1, 1)],
            TimelineCounts.NetChanges([(effortBefore, TimelineCounts.EffortOf(before))]));
    }
}

/// <summary>A deal's dated effort counts, worked out by hand from the stages it stood in and the activities logged on it (no database).</summary>
public sealed class DatedEffortCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_stage_entry_moves_to_worked_and_to_advanced_as_they_come_and_each_activity_counts_from_its_time_in_its_stage()
    {
        // In a from day 0 to day 3, then in b. A call on day 1 (a's first work), an email on day 2 (a), a call on day 4 (b),
        // and one dated back to day 3 exactly: the instant b was entered, so in b.
        var state = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Version = 2, Status = Domain.Deals.DealStatus.Open, Stage = "b" },
            Facts = { ["a"] = new StageFact { FirstEnteredAt = T0, AdvancedAt = T0.AddDays(3) }, ["b"] = new StageFact { FirstEnteredAt = T0.AddDays(3) } },
            Stages = [new StageChange(T0, "a"), new StageChange(T0.AddDays(3), "b")],
            Activities = [new LoggedActivity(T0.AddDays(1), "call"), new LoggedActivity(T0.AddDays(2), "email"), new LoggedActivity(T0.AddDays(4), "call"), new LoggedActivity(T0.AddDays(3), "call")],
        };

        DatedEffortCount Count(string stage, bool advanced, bool worked, string kind, double day, long n) => new("p", stage, advanced, worked, kind, "ann", "", "", "", T0.AddDays(day), n);
        Assert.Equal(
            [
                Count("a", false, false, "", 0, 1), Count("a", false, false, "", 1, -1), Count("a", false, true, "", 1, 1), Count("a", false, true, "", 3, -1),
                Count("a", true, true, "", 3, 1), Count("a", false, true, "call", 1, 1), Count("a", false, true, "email", 2, 1),
                Count("b", false, true, "", 3, 1), Count("b", false, true, "call", 4, 1), Count("b", false, true, "call", 3, 1),
            ],
            TimelineCounts.DatedEffortOf(state));
    }

    [Fact]
    public void an_activity_after_the_deal_closed_counts_in_no_stage()
    {
        var state = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Version = 2, Status = Domain.Deals.DealStatus.Won, Stage = "a" },
            Facts = { ["a"] = new StageFact { FirstEnteredAt = T0, AdvancedAt = T0.AddDays(1) } },
            Stages = [new StageChange(T0, "a"), new StageChange(T0.AddDays(1), null)],
            Activities = [new LoggedActivity(T0.AddDays(2), "call")],
        };

        DatedEffortCount Count(bool advanced, double day, long n) => new("p", "a", advanced, false, "", "ann", "", "", "", T0.AddDays(day), n);
        Assert.Equal([Count(false, 0, 1), Count(false, 1, -1), Count(true, 1, 1)], TimelineCounts.DatedEffortOf(state));
    }
}

/// <summary>A deal's advance counts: each advanced stage by the whole days it took, rounded up (no database).</summary>
public sealed class AdvanceCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(TimeSpan.TicksPerDay, 1)]
    [InlineData(TimeSpan.TicksPerDay + 1, 2)]
    [InlineData(30 * TimeSpan.TicksPerDay - TimeSpan.TicksPerHour, 30)]
    public void a_lag_counts_in_the_whole_days_it_fits_in(long ticks, int days) => Assert.Equal(days, TimelineCounts.LagDays(TimeSpan.FromTicks(ticks)));

    [Fact]
    public void only_advanced_stages_count_dated_by_their_first_entry()
    {
        // a entered on day 0 and advanced 2.5 days later (3 whole days); b entered then, not advanced.
        var state = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Region = "west", Version = 2, Status = Domain.Deals.DealStatus.Open, Stage = "b" },
            Facts = { ["a"] = new StageFact { FirstEnteredAt = T0, AdvancedAt = T0.AddDays(2.5) }, ["b"] = new StageFact { FirstEnteredAt = T0.AddDays(2.5) } },
        };

        Assert.Equal([new AdvanceCount("p", "a", 3, "ann", "", "west", "", T0, 1)], TimelineCounts.AdvancesOf(state));
    }
}

/// <summary>A deal's close count: dated by its current close, with its amount and cycle (no database).</summary>
public sealed class CloseCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_won_deal_counts_its_amount_and_cycle_on_its_close_and_an_open_one_nothing()
    {
        // Captured on day 0, won at 120 on day 2.5: a cycle of 2.5 days in microseconds.
        var deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Team = "east", Version = 3, Status = Domain.Deals.DealStatus.Won, Amount = 120m, CapturedAt = T0, ClosedAt = T0.AddDays(2.5) };

        Assert.Equal([new CloseCount("p", "won", "ann", "east", "", "", T0.AddDays(2.5), 1, 120m, 216_000_000_000)], TimelineCounts.ClosesOf(new DealTimelineState { Deal = deal }));
        Assert.Empty(TimelineCounts.ClosesOf(new DealTimelineState { Deal = new Domain.Deals.Deal { Version = 5, Status = Domain.Deals.DealStatus.Open, ClosedAt = T0, Owner = "ann" } }));
    }

    [Fact]
    public void closes_net_their_counts_amounts_and_cycles()
    {
        // ann's win put right from 100 to 150 (its cycle 10 → 15 µs); bob's loss reopened.
        var won = new CloseCount("p", "won", "ann", "", "", "", T0, 1, 100m, 10);
        var lost = new CloseCount("p", "lost", "bob", "", "", "", T0, 1, 80m, 7);

        Assert.Equal(
            [won with { N = 0, Amount = 50m, CycleMicros = 5 }, lost with { N = -1, Amount = -80m, CycleMicros = -7 }],
            TimelineCounts.NetChanges([([won], [won with { Amount = 150m, CycleMicros = 15 }]), ([lost], [])]));
        Assert.Empty(TimelineCounts.NetChanges([([won], [won])]));
    }
}

/// <summary>An open deal's stay, dated by its last change of stage (no database).</summary>
public sealed class OpenStayCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void an_open_deal_counts_the_stay_it_entered_last_and_a_closed_one_none()
    {
        // In a from day 0, b from day 2, lost on day 3, reopened into a on day 5.
        var state = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Product = "pro", Version = 4, Status = Domain.Deals.DealStatus.Open, Stage = "a" },
            Stages = [new(T0, "a"), new(T0.AddDays(2), "b"), new(T0.AddDays(3), null), new(T0.AddDays(5), "a")],
        };

        Assert.Equal([new OpenStayCount("p", "a", "ann", "", "", "pro", T0.AddDays(5), 1)], TimelineCounts.OpenStayOf(state));
        state.Stages.RemoveAt(3);
        Assert.Empty(TimelineCounts.OpenStayOf(state));
    }
}

/// <summary>A deal's stays entered and left, each on its instant, from the changes its state remembers (no database).</summary>
public sealed class StayChangeCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void each_stay_counts_its_entry_and_how_it_was_left_and_a_reopening_begins_a_new_one()
    {
        // In a from day 0, on to c on day 1, back to b on day 2 (a regression), lost on day 3, reopened into a on day 5 (open since).
        var state = new DealTimelineState
        {
            Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Team = "t", Version = 5, Status = Domain.Deals.DealStatus.Open, Stage = "a" },
            Stages = [new(T0, "a"), new(T0.AddDays(1), "c", "advanced"), new(T0.AddDays(2), "b", "regressed"), new(T0.AddDays(3), null, "lost"), new(T0.AddDays(5), "a")],
        };

        StayChangeCount Change(string stage, string change, double day) => new("p", stage, change, "ann", "t", "", "", T0.AddDays(day), 1);
        Assert.Equal(
            [Change("a", "entered", 0), Change("a", "advanced", 1), Change("c", "entered", 1), Change("c", "regressed", 2), Change("b", "entered", 2), Change("b", "lost", 3), Change("a", "entered", 5)],
            TimelineCounts.StayChangesOf(state));
        Assert.Empty(TimelineCounts.StayChangesOf(new DealTimelineState()));
    }
}

/// <summary>A deal's ended stays and its stays' entries and ends, worked out by hand from its stage changes (no database).</summary>
public sealed class DatedStayCountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    // In a from T0, on to c 1 day 23 hours 59 minutes later, lost exactly 2 days after that, reopened into a 2 days on (open since).
    private static readonly DealTimelineState State = new()
    {
        Deal = new Domain.Deals.Deal { Id = "X", PipelineId = "p", Owner = "ann", Version = 4, Status = Domain.Deals.DealStatus.Open, Stage = "a" },
        Stages = [new(T0, "a"), new(T0.AddMinutes(2879), "c", "advanced"), new(T0.AddMinutes(2879 + 2880), null, "lost"), new(T0.AddDays(6), "a")],
    };

    [Fact]
    public void an_ended_stay_counts_its_whole_days_and_hours_of_dwell_and_its_microseconds_at_its_end()
    {
        Assert.Equal(
            [
                new EndedStayCount("p", "a", 1, 47, T0.AddMinutes(2879), 1, 2879L * 60_000_000),
                new EndedStayCount("p", "c", 2, 48, T0.AddMinutes(5759), 1, 2880L * 60_000_000),
            ],
            TimelineCounts.EndedStaysOf(State));
        Assert.Empty(TimelineCounts.EndedStaysOf(new DealTimelineState()));
    }

    [Fact]
    public void a_stay_counts_one_from_its_entry_and_takes_it_back_at_its_end_under_its_entry()
    {
        Assert.Equal(
            [
                new StayEntryCount("p", "a", T0, T0, 1), new StayEntryCount("p", "a", T0, T0.AddMinutes(2879), -1),
                new StayEntryCount("p", "c", T0.AddMinutes(2879), T0.AddMinutes(2879), 1), new StayEntryCount("p", "c", T0.AddMinutes(2879), T0.AddMinutes(5759), -1),
                new StayEntryCount("p", "a", T0.AddDays(6), T0.AddDays(6), 1),
            ],
            TimelineCounts.StayEntriesOf(State));
    }
}

/// <summary>A deal's touch spans, cut at its activities and at changes of who holds it, worked out by hand (no database).</summary>
public sealed class TouchSpanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    // Captured by ann (east) on day 0, worked on day 2, handed to bob (west) on day 3, worked on day 5, lost on day 6.
    private static readonly DealTimelineState State = new()
    {
        Deal = new Domain.Deals.Deal
        {
            Id = "X", PipelineId = "p", Owner = "bob", Team = "west", Product = "kit", Version = 5, Status = Domain.Deals.DealStatus.Lost, CapturedAt = Day(0),
        },
        Statuses = [new(Day(0), "open"), new(Day(6), "lost")],
        Owners = [new(Day(0), "ann", "east", null), new(Day(3), "bob", "west", null)],
        Activities = [new(Day(5), "call"), new(Day(2), "email")],
    };

    private static DateTimeOffset Day(double day) => T0.AddDays(day);

    [Fact]
    public void a_span_ends_at_each_activity_and_change_of_holder_and_keeps_its_last_touch_across_the_change()
    {
        var spans = TimelineCounts.TouchSpansOf(State);

        Assert.Equal(
            [(Day(0), false, Day(0), Day(2), "ann", "east"), (Day(2), true, Day(2), Day(3), "ann", "east"), (Day(2), true, Day(3), Day(5), "bob", "west"), (Day(5), true, Day(5), Day(6), "bob", "west")],
            spans.Select(s => (s.TouchedAt, s.Worked, s.From, s.To!.Value, s.Held.Owner, s.Held.Team)));
    }

    [Fact]
    public void each_span_counts_under_its_holders_attributes_and_the_deals_product_none_for_a_region_it_lacks()
    {
        TouchSpanAttributeCount Held(string owner, string team, double touched, double at, long n) => new("p", owner, team, "", "kit", Day(touched), Day(at), n);
        Assert.Equal(
            [
                Held("ann", "east", 0, 0, 1), Held("ann", "east", 0, 2, -1), Held("ann", "east", 2, 2, 1), Held("ann", "east", 2, 3, -1),
                Held("bob", "west", 2, 3, 1), Held("bob", "west", 2, 5, -1), Held("bob", "west", 5, 5, 1), Held("bob", "west", 5, 6, -1),
            ],
            TimelineCounts.TouchSpanAttributeCountsOf(State));
    }
}

/// <summary>The stage a deal stood open in at an instant, from the changes its state remembers (no database).</summary>
public sealed class StageAtTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-1, null)]
    [InlineData(0, "a")]
    [InlineData(1.5, "a")]
    [InlineData(2, "c")]
    [InlineData(3.5, null)]
    [InlineData(5, "b")]
    [InlineData(40, "b")]
    public void the_last_change_at_or_before_the_instant_wins(double day, string? stage)
    {
        // Captured into a on day 0, b and at the same instant c on day 2 (the later one stands), lost on 3, reopened into b on 5.
        var state = new DealTimelineState { Stages = [new(T0, "a"), new(T0.AddDays(2), "b"), new(T0.AddDays(2), "c"), new(T0.AddDays(3), null), new(T0.AddDays(5), "b")] };

        Assert.Equal(stage, state.StageAt(T0.AddDays(day)));
    }
}

/// <summary>Which years, months and days of a dated counter a run of days sums (no database: the parameters only).</summary>
public sealed class CountedDaysTests
{
    [Theory]
    [InlineData("2026-01-15", "2027-03-10", "2026-02-01", "2027-03-01", "2027-01-01", "2027-01-01")]
    [InlineData("2025-01-01", "2027-01-01", "2025-01-01", "2027-01-01", "2025-01-01", "2027-01-01")]
    [InlineData("2026-06-01", "2026-07-01", "2026-06-01", "2026-07-01", "2027-01-01", "2026-01-01")]
    [InlineData("2026-06-02", "2026-06-20", "2026-07-01", "2026-06-01", "2027-01-01", "2026-01-01")]
    [InlineData("9999-12-15", "9999-12-31", "9999-12-31", "9999-12-01", "9999-12-31", "9999-01-01")]
    public void a_run_of_days_sums_the_years_and_months_wholly_inside_it(string from, string to, string monthsFrom, string monthsTo, string yearsFrom, string yearsTo)
    {
        using var command = new Npgsql.NpgsqlCommand();
        Reports.CountedDays.AddWithin(command, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        string Day(string name) => ((DateOnly)command.Parameters[name].Value!).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((monthsFrom, monthsTo, yearsFrom, yearsTo), (Day("monthsFrom"), Day("monthsTo"), Day("yearsFrom"), Day("yearsTo")));
    }
}
