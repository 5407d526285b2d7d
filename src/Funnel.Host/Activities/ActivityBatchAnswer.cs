using System.Text.Json.Serialization;

namespace Funnel.Host.Activities;

/// <summary>
/// One activity's answer in a batch, in the batch's order: the status POST /api/activities would have given (201 logged,
/// 200 logged before under its id, or the refusal's), what it logged, or the refusal's problem details.
/// </summary>
public sealed record ActivityBatchResult(
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ActivityId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DealId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? DealVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProblemDetails? Problem);

/// <summary>A batch's answer: one result per activity, in order, and how many were accepted and refused.</summary>
public sealed record ActivityBatchAnswer(IReadOnlyList<ActivityBatchResult> Results, int Accepted, int Refused)
{
    public static ActivityBatchAnswer Of(IEnumerable<(ActivityAnswer? Answer, Rejection? Rejection)> outcomes)
    {
        var results = outcomes.Select(o => o.Rejection is { } rejection
            ? new ActivityBatchResult(Problems.StatusOf(rejection), null, null, null, Problems.Details(rejection))
            : new ActivityBatchResult(o.Answer!.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, o.Answer.ActivityId, o.Answer.DealId, o.Answer.DealVersion, null)).ToList();
        var accepted = results.Count(r => r.Problem is null);
        return new ActivityBatchAnswer(results, accepted, results.Count - accepted);
    }
}
