namespace Funnel.Host.Http;

/// <summary>Turns refusals into RFC 9457 problem details that name the field and the rule.</summary>
public static class Problems
{
    public const string TypeBase = "https://funnel.dev/problems/";

    public const string ContentType = "application/problem+json";

    public static IResult From(Rejection rejection) => Results.Problem(Details(rejection));

    public static int StatusOf(Rejection rejection) => rejection.Kind switch
    {
        RejectionKind.NotFound => StatusCodes.Status404NotFound,
        RejectionKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The problem details of a refusal, as an object (a batch answers one per refused command).</summary>
    public static ProblemDetails Details(Rejection rejection) => Details(StatusOf(rejection), rejection.Field, rejection.Rule, rejection.Message);

    /// <summary>Problem details with any status, naming the field (or header, or "body") and the rule.</summary>
    public static IResult Of(int status, string field, string rule, string detail, IDictionary<string, object?>? extra = null) =>
        Results.Problem(Details(status, field, rule, detail, extra));

    private static ProblemDetails Details(int status, string field, string rule, string detail, IDictionary<string, object?>? extra = null)
    {
        var problem = new ProblemDetails { Status = status, Title = Title(status), Detail = detail, Type = TypeBase + rule };
        problem.Extensions["field"] = field;
        problem.Extensions["rule"] = rule;
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "API key required",
        StatusCodes.Status403Forbidden => "Scope required",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict with the current state",
        StatusCodes.Status413PayloadTooLarge => "Request too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status503ServiceUnavailable => "Service unavailable",
        >= 500 => "Unexpected error",
        _ => "Invalid request",
    };
}
