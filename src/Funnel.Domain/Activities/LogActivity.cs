using Funnel.Domain.Deals;

namespace Funnel.Domain.Activities;

/// <summary>
/// A rep records what they did ("no record means it did not happen"). Its rules are the deal commands': checked input,
/// business time never in the future, and on a deal only once the deal exists (any status: a call after a win counts).
/// </summary>
public sealed record LogActivity(
    string? ActivityId,
    string? Rep,
    string? Kind,
    string? DealId,
    string? Team,
    string? Account,
    DateTimeOffset? OccurredAt,
    int? DurationMinutes,
    string? Outcome,
    string? Notes)
{
    /// <summary>A working day at most: longer is a typing error, not an activity.</summary>
    public const int MaxDurationMinutes = 24 * 60;

    public const int MaxNotes = 4000;

    /// <summary>The stream of a rep's activities on no deal. '/' is never in a deal id (<see cref="Identifiers"/>), so the two never meet.</summary>
    public static string RepStream(string rep) => $"rep/{rep}";

    /// <summary>The checks that need no deal, in the order a caller fixes them.</summary>
    public Rejection? CheckInput(DateTimeOffset now) => Rejection.FirstOf(
        ActivityId is not null && !Identifiers.IsValid(ActivityId) ? Rejection.Invalid("activityId", "identifier", Identifiers.Rule) : null,
        Text.Check(Rep, "rep", required: true),
        Kind is null || !ActivityKinds.All.Contains(Kind)
            ? Rejection.Invalid("kind", "one-of", $"kind is one of {string.Join(", ", ActivityKinds.All)}.")
            : null,
        DealId is not null && !Identifiers.IsValid(DealId) ? Rejection.Invalid("dealId", "identifier", Identifiers.Rule) : null,
        Text.Check(Team, "team", required: false),
        Text.Check(Account, "account", required: false),
        OccurredAt is null ? Rejection.Invalid("occurredAt", "required", "occurredAt is required: when the activity happened.") : BusinessTime.CheckOccurredAt(OccurredAt.Value, now),
        DurationMinutes is < 0 or > MaxDurationMinutes
            ? Rejection.Invalid("durationMinutes", "range", $"durationMinutes is from 0 to {MaxDurationMinutes}.")
            : null,
        Text.Check(Outcome, "outcome", required: false),
        CheckNotes());

    /// <summary>
    /// Decides the activity: <paramref name="deal"/> is the named deal as it stands (null when none is named, or when the
    /// named one does not exist). <paramref name="activityId"/> is the caller's, or one chosen for it.
    /// </summary>
    public Decision Decide(Deal? deal, string activityId, DateTimeOffset now)
    {
        if (CheckInput(now) is { } invalid)
        {
            return invalid;
        }

        if (DealId is not null && deal is null)
        {
            return DealRules.UnknownDeal(DealId);
        }

        if (deal is not null && OccurredAt < deal.CapturedAt)
        {
            return Rejection.Invalid("occurredAt", "before-capture", $"The deal was captured at {deal.CapturedAt:O}; an activity on it cannot come before.");
        }

        return Decision.Accept(new ActivityLogged(
            activityId, Rep!.Trim(), Kind!, deal?.Id, deal?.PipelineId, Trimmed(Team) ?? deal?.Team, Trimmed(Account) ?? deal?.Account,
            DurationMinutes, Trimmed(Outcome), Trimmed(Notes), OccurredAt!.Value));
    }

    /// <summary>
    /// The same activityId again: the same activity is answered as before (a retry); another one under that id is refused,
    /// since an activity is logged once.
    /// </summary>
    public static Rejection? AgainstEarlier(ActivityLogged earlier, ActivityLogged again) =>
        earlier == again
            ? null
            : Rejection.Conflict("activityId", "activity-exists", $"Activity '{earlier.ActivityId}' was logged already, with other details; another activity needs another activityId.");

    private Rejection? CheckNotes() => Notes switch
    {
        { Length: > MaxNotes } => Rejection.Invalid("notes", "max-length", $"notes is at most {MaxNotes} characters."),
        { } text when text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') =>
            Rejection.Invalid("notes", "control-characters", "notes may hold line breaks and tabs, no other control characters."),
        _ => null,
    };

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
