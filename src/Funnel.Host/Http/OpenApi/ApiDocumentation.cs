namespace Funnel.Host.Http.OpenApi;

/// <summary>The body of every refusal as the OpenAPI document describes it: RFC 9457 problem details naming the field and the rule.</summary>
/// <param name="Field">The body field, query parameter, header or route value at fault ("body" or "request" when none is).</param>
/// <param name="Rule">The rule broken, stable for clients to branch on (required, max-amount, duplicate-deal, ...).</param>
public sealed record Problem(
    string Type, string Title, int Status, string Detail, string Field, string Rule, IReadOnlyDictionary<string, string[]> Errors, string? TraceId = null);

/// <summary>An answer of problem details with this status (the reasons are in the operation's description).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class RefusesAttribute(int status) : ProducesResponseTypeAttribute(typeof(Problem), status, Problems.ContentType);

/// <summary>The operation answers one of these bodies with 200 (a deal as it stands, or as it stood at asOf).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnswersOneOfAttribute(params Type[] types) : Attribute
{
    public IReadOnlyList<Type> Types { get; } = types;
}

/// <summary>The operations take the command headers: Idempotency-Key and X-Funnel-Actor.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TakesCommandHeadersAttribute : Attribute;
