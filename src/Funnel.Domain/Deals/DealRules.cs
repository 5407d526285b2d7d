namespace Funnel.Domain.Deals;

/// <summary>Checks every deal command shares. Input checks come before state checks, so a bad request is a 400 whatever the deal's state.</summary>
public static class DealRules
{
    /// <summary>
    /// The largest amount a deal may carry: a trillion. Far above any real deal, and low enough that sums over
    /// millions of deals, weighted by probabilities, stay exact in decimal and in PostgreSQL's numeric.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <summary>The command's business time, or the rejection that stops it: never in the future, never before the deal's latest event.</summary>
    public static Rejection? CheckTime(Deal deal, DateTimeOffset at, DateTimeOffset now)
    {
        if (BusinessTime.CheckOccurredAt(at, now) is { } invalid)
        {
            return invalid;
        }

        return at < deal.LastOccurredAt ? BusinessTime.BeforeLatest(deal.LastOccurredAt) : null;
    }

    public const string VersionConflictRule = "version-conflict";

    /// <summary>The deal is not at the version the command expected (or, with none expected, changed while it ran).</summary>
    public static Rejection VersionConflict(long? expected) =>
        Rejection.Conflict("expectedVersion", VersionConflictRule, expected is null
            ? "The deal changed while this command ran; reload it and try again."
            : $"The deal is no longer at version {expected}; reload it and try again.");

    public static Rejection UnknownDeal(string dealId) => Rejection.NotFound("dealId", "unknown-deal", $"There is no deal '{dealId}'.");

    public static Rejection? MustBeOpen(Deal deal) =>
        deal.Status == DealStatus.Open
            ? null
            : Rejection.Conflict("status", "deal-closed", $"The deal is {deal.Status.ToString().ToLowerInvariant()}; only reopen changes a closed deal.");

    public static Rejection? CheckAmount(decimal? amount, string field = "amount") => amount switch
    {
        null => Rejection.Invalid(field, "required", $"{field} is required."),
        < 0 => Rejection.Invalid(field, "non-negative", $"{field} may not be negative."),
        > MaxAmount => Rejection.Invalid(field, "max-amount", $"{field} is at most {MaxAmount:N0}."),
        _ => null,
    };

    public static Rejection? CheckStage(Pipelines.Pipeline pipeline, string? stage, string field = "stage") =>
        pipeline.FindStage(stage) is null
            ? Rejection.Invalid(field, "unknown-stage", $"Pipeline '{pipeline.Id}' has no stage '{stage}'; its stages are {string.Join(", ", pipeline.Stages.Select(s => s.Id))}.")
            : null;

    /// <summary>
    /// A change to an open deal: the command's own input checks, then its business time (the command's, else now), then the
    /// deal's status; the first that fails is the answer, else the command's decision at that time.
    /// </summary>
    public static Decision OnOpenDeal(Deal deal, DateTimeOffset? occurredAt, DateTimeOffset now, Rejection?[] inputChecks, Func<DateTimeOffset, Decision> decide)
    {
        var at = occurredAt ?? now;
        return Rejection.FirstOf([.. inputChecks, CheckTime(deal, at, now), MustBeOpen(deal)]) is { } rejection ? rejection : decide(at);
    }
}
