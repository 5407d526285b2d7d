namespace Funnel.Domain.Activities;

/// <summary>
/// One thing a rep did, in business time: on the deal's stream when it concerns a deal, else on the rep's own
/// (<see cref="LogActivity.RepStream"/>). <paramref name="PipelineId"/> and <paramref name="Team"/> are the deal's when it
/// names one (the team unless the caller gave another), so reports group without looking the deal up again.
/// </summary>
public sealed record ActivityLogged(
    string ActivityId,
    string Rep,
    string Kind,
    string? DealId,
    string? PipelineId,
    string? Team,
    string? Account,
    int? DurationMinutes,
    string? Outcome,
    string? Notes,
    DateTimeOffset OccurredAt);
