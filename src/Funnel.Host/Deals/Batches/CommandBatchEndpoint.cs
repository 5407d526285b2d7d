using System.Text.Json.Serialization;
using Funnel.Domain.Deals;
using Funnel.Host.Tenancy;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

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

/// <summary>POST /api/commands: up to 1,000 deal commands in one request, each all or nothing, answered in order.</summary>
public static class CommandBatchEndpoint
{
    public static void MapCommandBatch(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/commands", RunAsync)
            .WithName("runCommands")
            .WithSummary("Runs up to 1,000 deal commands (a JSON array, or NDJSON), each all or nothing, and answers each in order.")
            .WithTags(DealCommandRoutes.Tag)
            .Accepts<IReadOnlyList<BatchCommand>>("application/json", BatchItems.NdjsonContentType)
            .Produces<BatchAnswer>(StatusCodes.Status200OK)
            .WithMetadata(new TakesCommandHeadersAttribute(), new BatchBodyAttribute())
            .WithCommonRefusals(takesBody: true)
            .RequireAuthorization(Scopes.CommandsWrite);

    private static async Task<IResult> RunAsync(HttpRequest request, DealBatchRunner runner, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (items, refusal) = await BatchItems.ReadAsync(request, json.Value.SerializerOptions, ct);
        if (refusal is not null)
        {
            return Problems.From(refusal);
        }

        var caller = CommandCaller.Current(request.HttpContext.RequestServices);
        return Results.Ok(await runner.RunAsync(items, CallerTenant.Of(request.HttpContext), caller, ct));
    }
}

/// <summary>The shape of one command in a batch, for the API description: a type and the fields of that type's endpoint.</summary>
public sealed record BatchCommand(string Type, string? DealId);

/// <summary>Marks an endpoint whose body is a batch (a JSON array, or NDJSON) rather than one JSON object.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class BatchBodyAttribute : Attribute;
