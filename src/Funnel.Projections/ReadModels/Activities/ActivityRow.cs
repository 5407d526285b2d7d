using Funnel.Domain.Activities;

namespace Funnel.Projections.Timeline;

/// <summary>A row of activities: the event as logged, its sequence, when it was recorded, and the stage its deal stood in then.</summary>
public sealed record ActivityRow(
    string ActivityId, string Rep, string Kind, string? DealId, string? PipelineId, string? Team, string? Account, int? DurationMinutes,
    string? Outcome, string? Notes, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, long Seq, string? Stage)
{
    public static ActivityRow From(ActivityLogged e, DateTimeOffset recordedAt, long seq) => new(
        e.ActivityId, e.Rep, e.Kind, e.DealId, e.PipelineId, e.Team, e.Account, e.DurationMinutes, e.Outcome, e.Notes, e.OccurredAt, recordedAt, seq, null);
}
