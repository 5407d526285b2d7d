using Funnel.Domain.Activities;

namespace Funnel.Projections.Timeline;

/// <summary>A row of activities: the event as logged, its sequence and when it was recorded.</summary>
public sealed record ActivityRow(
    string ActivityId, string Rep, string Kind, string? DealId, string? PipelineId, string? Team, string? Account, int? DurationMinutes,
    string? Outcome, string? Notes, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, long Seq)
{
    public static ActivityRow From(ActivityLogged e, DateTimeOffset recordedAt, long seq) => new(
        e.ActivityId, e.Rep, e.Kind, e.DealId, e.PipelineId, e.Team, e.Account, e.DurationMinutes, e.Outcome, e.Notes, e.OccurredAt, recordedAt, seq);
}
