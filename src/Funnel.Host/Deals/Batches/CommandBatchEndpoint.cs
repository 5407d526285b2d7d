using Funnel.Host.Tenancy;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Funnel.Host.Deals.Batches;

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
