namespace Funnel.Domain;

/// <summary>Rules about business time (occurredAt), shared by every command.</summary>
public static class Clock
{
    /// <summary>Callers' clocks drift; anything further ahead than this is a mistake, and would block every later command.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    public static bool IsInTheFuture(DateTimeOffset at, DateTimeOffset now) => at > now + AllowedSkew;

    public static Rejection FutureRejection { get; } =
        Rejection.Invalid("occurredAt", "not-in-future", $"occurredAt may not lie more than {AllowedSkew.TotalMinutes} minutes in the future.");

    public static Rejection BeforeLatest(DateTimeOffset latest) =>
        Rejection.Conflict("occurredAt", "occurred-at-order", $"occurredAt may not precede the latest event already recorded ({latest:O}).");
}
