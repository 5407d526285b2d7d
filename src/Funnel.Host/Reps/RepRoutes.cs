using Funnel.Domain.Deals;

namespace Funnel.Host.Reps;

/// <summary>Commands about a rep rather than one deal.</summary>
public static class RepRoutes
{
    public const string Tag = "Reps";

    public static void MapRepRoutes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/reps/{rep}/handover", HandOverAsync)
            .WithName("handOver").WithSummary("Hands all of a rep's open deals (or the listed ones) to another rep: one owner change per deal, marked as a handover with its reason, all or nothing.")
            .WithTags(Tag).Accepts<HandoverRequest>("application/json").Produces<HandoverAnswer>(StatusCodes.Status200OK)
            .WithMetadata(new RefusesAttribute(StatusCodes.Status404NotFound), new RefusesAttribute(StatusCodes.Status409Conflict)).WithCommonRefusals(takesBody: true)
            .RequireAuthorization(Scopes.CommandsWrite);
    }

    private static async Task<IResult> HandOverAsync(string rep, HttpRequest http, HandoverRunner runner, CancellationToken ct)
    {
        var (request, refusal) = await JsonBody.ReadAsync<HandoverRequest>(http, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var command = new HandOverDeals(rep, request!.To, request.Team, request.Region, request.DealIds, request.Reason, request.OccurredAt);
        var (answer, rejection) = await runner.RunAsync(command, ct);
        return rejection is not null ? Problems.From(rejection) : Results.Ok(answer);
    }
}
