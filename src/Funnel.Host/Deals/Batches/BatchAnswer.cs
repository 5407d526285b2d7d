using System.Text.Json.Serialization;
using Funnel.Domain.Deals;

namespace Funnel.Host.Deals.Batches;

/// <summary>
/// One command's answer in a batch, in the batch's order: the status its single endpoint would have given (201 for a new
/// deal, 200, or the refusal's), the deal and its version after it, or the refusal's problem details.
/// </summary>
public sealed record BatchCommandResult(
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DealId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProblemDetails? Problem);

/// <summary>A batch's answer: one result per command, in order, and how many were accepted and refused.</summary>
public sealed record BatchAnswer(IReadOnlyList<BatchCommandResult> Results, int Accepted, int Refused)
{
    /// <summary>The items' answers in their order: those refused on reading as they were, the others as decided.</summary>
    public static BatchAnswer Of(IReadOnlyList<BatchItem> items, IReadOnlyList<BatchedResult> decided)
    {
        var next = 0;
        var results = items.Select(item => item.Refusal is { } unread
            ? new BatchCommandResult(Problems.StatusOf(unread), item.DealId, null, Problems.Details(unread))
            : Result(decided[next++])).ToList();
        var accepted = results.Count(r => r.Problem is null);
        return new BatchAnswer(results, accepted, results.Count - accepted);
    }

    private static BatchCommandResult Result(BatchedResult r) => r.Rejection is { } rejection
        ? new BatchCommandResult(Problems.StatusOf(rejection), r.DealId, null, Problems.Details(rejection))
        : new BatchCommandResult(r.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, r.DealId, r.Version, null);
}
