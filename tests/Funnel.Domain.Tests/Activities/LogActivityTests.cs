using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using Funnel.Domain.Tests.Deals;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Activities;

public sealed class LogActivityTests
{
    private static LogActivity Call(string? dealId = "D", DateTimeOffset? at = null, string? team = null, string? account = null) =>
        new("A-1", "ann", "call", dealId, team, account, at ?? T0.AddDays(1), 15, " reached ", "asked for a quote");

    [Fact]
    public void an_activity_on_a_deal_takes_the_deals_pipeline_team_and_account() =>
        Assert.Equal(
            [new ActivityLogged("A-1", "ann", "call", "D", "sales", "east", "Acme Corp", 15, "reached", "asked for a quote", T0.AddDays(1))],
            Call().Decide(Deal(Captured()), "A-1", Now).Then());

    [Fact]
    public void a_team_or_account_given_is_kept_over_the_deals() =>
        Assert.Equal(
            [new ActivityLogged("A-1", "ann", "call", "D", "sales", "west", "Acme Ltd", 15, "reached", "asked for a quote", T0.AddDays(1))],
            Call(team: "west", account: "Acme Ltd").Decide(Deal(Captured()), "A-1", Now).Then());

    [Fact]
    public void an_activity_on_no_deal_belongs_to_no_pipeline() =>
        Assert.Equal(
            [new ActivityLogged("A-1", "ann", "call", null, null, "east", null, 15, "reached", "asked for a quote", T0.AddDays(1))],
            Call(dealId: null, team: "east").Decide(null, "A-1", Now).Then());

    [Fact]
    public void a_closed_deal_still_takes_activities()
    {
        var lost = Deal(Captured(), new DealLost("D", "validate", "price", T0.AddHours(1)));

        Assert.Single(Call(at: T0.AddDays(3)).Decide(lost, "A-1", Now).Then());
    }

    [Fact]
    public void an_activity_before_the_deal_was_captured_is_refused() =>
        Call(at: T0.AddMinutes(-1)).Decide(Deal(Captured()), "A-1", Now).Refused(RejectionKind.Invalid, "occurredAt", "before-capture");

    [Fact]
    public void an_activity_on_an_unknown_deal_is_not_found() =>
        Call().Decide(null, "A-1", Now).Refused(RejectionKind.NotFound, "dealId", "unknown-deal");

    [Fact]
    public void an_activity_may_come_before_the_deals_latest_event_and_does_not_hold_later_commands_to_its_time()
    {
        // Captured T0, moved T0 + 2 days; a call logged afterwards for T0 + 1 day is accepted, and a stage change at
        // T0 + 3 days still may follow a call logged for T0 + 4 days.
        var deal = Deal(Captured(), new DealStageChanged("D", "validate", "develop", false, T0.AddDays(2)));
        var logged = Call(at: T0.AddDays(1)).Decide(deal, "A-1", Now).Then().Concat(Call(at: T0.AddDays(4)).Decide(deal, "A-2", Now).Then());
        var after = logged.Aggregate(deal.Copy(), Funnel.Domain.Deals.Deal.Evolve);

        Assert.Equal((4, T0.AddDays(2), "develop"), (after.Version, after.LastOccurredAt, after.Stage));
        Assert.Single(new ChangeStage("D", "propose", T0.AddDays(3)).Decide(after, Classic, Now).Then());
    }

    [Theory]
    [InlineData("bad id!", "ann", "call", 15, "activityId", "identifier")]
    [InlineData(null, " ", "call", 15, "rep", "required")]
    [InlineData(null, "ann", "fax", 15, "kind", "one-of")]
    [InlineData(null, "ann", null, 15, "kind", "one-of")]
    [InlineData(null, "ann", "call", -1, "durationMinutes", "range")]
    [InlineData(null, "ann", "call", 1441, "durationMinutes", "range")]
    public void malformed_input_names_the_field_and_the_rule(string? activityId, string? rep, string? kind, int duration, string field, string rule) =>
        new LogActivity(activityId, rep, kind, null, null, null, T0, duration, null, null).Decide(null, "A-1", Now).Refused(RejectionKind.Invalid, field, rule);

    [Fact]
    public void occurred_at_is_required_and_never_in_the_future()
    {
        new LogActivity(null, "ann", "call", null, null, null, null, null, null, null).Decide(null, "A-1", Now).Refused(RejectionKind.Invalid, "occurredAt", "required");
        new LogActivity(null, "ann", "call", null, null, null, Now.AddMinutes(6), null, null, null).Decide(null, "A-1", Now).Refused(RejectionKind.Invalid, "occurredAt", "not-in-future");
    }

    [Fact]
    public void notes_keep_line_breaks_and_refuse_other_control_characters()
    {
        Assert.Single(new LogActivity(null, "ann", "note", null, null, null, T0, null, null, "line one\nline two\ttabbed").Decide(null, "A-1", Now).Then());
        new LogActivity(null, "ann", "note", null, null, null, T0, null, null, "bell\a").Decide(null, "A-1", Now).Refused(RejectionKind.Invalid, "notes", "control-characters");
        new LogActivity(null, "ann", "note", null, null, null, T0, null, null, new string('x', 4001)).Decide(null, "A-1", Now).Refused(RejectionKind.Invalid, "notes", "max-length");
    }

    [Fact]
    public void the_same_activity_again_is_a_retry_and_another_under_its_id_a_conflict()
    {
        var first = (ActivityLogged)Call().Decide(Deal(Captured()), "A-1", Now).Then()[0];

        Assert.Null(LogActivity.AgainstEarlier(first, first with { }));
        Assert.Equal(("activityId", "activity-exists"), LogActivity.AgainstEarlier(first, first with { Kind = "visit" }) is { } r ? (r.Field, r.Rule) : default);
    }

    [Fact]
    public void a_reps_own_stream_cannot_be_a_deals() =>
        Assert.False(Identifiers.IsValid(LogActivity.RepStream("ann")));
}
