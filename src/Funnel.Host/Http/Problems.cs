using Funnel.Domain;
using Funnel.Host.Deals;

namespace Funnel.Host.Http;

/// <summary>Turns refusals into RFC 9457 problem details that name the field and the rule.</summary>
public static class Problems
{
    public const string TypeBase = "https://funnel.dev/problems/";

    public static IResult From(Rejection rejection) => Results.Problem(
        statusCode: rejection.Kind switch
        {
            RejectionKind.NotFound => StatusCodes.Status404NotFound,
            RejectionKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        },
        title: Title(rejection.Kind),
        detail: rejection.Message,
        type: TypeBase + rejection.Rule,
        extensions: new Dictionary<string, object?>
        {
            ["field"] = rejection.Field,
            ["rule"] = rejection.Rule,
            ["errors"] = new Dictionary<string, string[]> { [rejection.Field] = [rejection.Message] },
        });

    public static IResult ToHttp(this CommandOutcome outcome, Func<string, string>? location = null)
    {
        if (outcome.Rejection is { } rejection)
        {
            return From(rejection);
        }

        var body = new DealCommandResult(outcome.DealId, outcome.Version);
        return outcome.Created && location is not null ? Results.Created(location(outcome.DealId), body) : Results.Ok(body);
    }

    private static string Title(RejectionKind kind) => kind switch
    {
        RejectionKind.NotFound => "Not found",
        RejectionKind.Conflict => "Conflict with the current state",
        _ => "Invalid request",
    };
}
