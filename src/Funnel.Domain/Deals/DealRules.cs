namespace Funnel.Domain.Deals;

/// <summary>Checks every deal command shares. Input checks come before state checks, so a bad request is a 400 whatever the deal's state.</summary>
public static class DealRules
{
    public const int MaxText = 200;

    /// <summary>The command's business time, or the rejection that stops it: never in the future, never before the deal's latest event.</summary>
    public static Rejection? CheckTime(Deal deal, DateTimeOffset at, DateTimeOffset now)
    {
        if (Clock.IsInTheFuture(at, now))
        {
            return Clock.FutureRejection;
        }

        return at < deal.LastOccurredAt ? Clock.BeforeLatest(deal.LastOccurredAt) : null;
    }

    public static Rejection? MustBeOpen(Deal deal) =>
        deal.Status == DealStatus.Open
            ? null
            : Rejection.Conflict("status", "deal-closed", $"The deal is {deal.Status.ToString().ToLowerInvariant()}; only reopen changes a closed deal.");

    public static Rejection? CheckAmount(decimal? amount, string field = "amount") => amount switch
    {
        null => Rejection.Invalid(field, "required", $"{field} is required."),
        < 0 => Rejection.Invalid(field, "non-negative", $"{field} may not be negative."),
        _ => null,
    };

    public static Rejection? CheckText(string? value, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required || value is not null && value.Length > 0
                ? Rejection.Invalid(field, "required", $"{field} may not be empty.")
                : null;
        }

        return value.Length > MaxText ? Rejection.Invalid(field, "max-length", $"{field} is at most {MaxText} characters.") : null;
    }

    public static Rejection? CheckStage(Pipelines.Pipeline pipeline, string? stage, string field = "stage") =>
        pipeline.FindStage(stage) is null
            ? Rejection.Invalid(field, "unknown-stage", $"Pipeline '{pipeline.Id}' has no stage '{stage}'; its stages are {string.Join(", ", pipeline.Stages.Select(s => s.Id))}.")
            : null;

    public static Rejection? FirstOf(params Rejection?[] checks) => checks.FirstOrDefault(c => c is not null);
}
