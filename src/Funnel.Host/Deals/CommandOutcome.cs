namespace Funnel.Host.Deals;

/// <summary>What a deal command answered: the deal and its version after the command, or why it was refused.</summary>
public sealed record CommandOutcome(string DealId, long Version, bool Created, Rejection? Rejection = null)
{
    public static CommandOutcome Refused(string dealId, Rejection rejection) => new(dealId, 0, false, rejection);

    /// <summary>The HTTP answer: 201 with its location for a new deal, 200 otherwise, or the refusal's problem details.</summary>
    public IResult ToHttp(Func<string, string>? location = null)
    {
        if (Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }

        var body = new DealCommandResult(DealId, Version);
        return Created && location is not null ? Results.Created(location(DealId), body) : Results.Ok(body);
    }
}

/// <summary>The body of every accepted deal command.</summary>
public sealed record DealCommandResult(string DealId, long Version);

/// <summary>Thrown by message handlers so that a refused command lands in the dead-letter store instead of vanishing.</summary>
public sealed class DealCommandRejectedException(string dealId, Rejection rejection, bool retryable = false)
    : Exception($"Command on deal '{dealId}' rejected: {rejection.Field}: {rejection.Message} ({rejection.Rule})")
{
    public Rejection Rejection { get; } = rejection;

    /// <summary>True for a lost race with no expectedVersion given: running it again against the new state is right.</summary>
    public bool Retryable { get; } = retryable;
}
