using System.Text.RegularExpressions;
using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Captures a deal into its pipeline: the first stage by default, or a later one for importers.</summary>
public sealed partial record CaptureDeal(
    string? DealId,
    string? PipelineId,
    string? Name,
    string? Owner,
    decimal? Amount,
    string? Team = null,
    string? Region = null,
    string? Product = null,
    string? Account = null,
    string? Currency = null,
    DateOnly? ExpectedCloseDate = null,
    IReadOnlyList<string>? Tags = null,
    string? Stage = null,
    DateTimeOffset? OccurredAt = null)
{
    public const string DefaultCurrency = "USD";
    public const int MaxTags = 50;

    /// <summary>A deal of that id was captured before (found before deciding, or when its stream would start again).</summary>
    public static Rejection Duplicate(string dealId) => Rejection.Conflict("dealId", "duplicate-deal", $"A deal '{dealId}' already exists.");

    /// <param name="pipeline">The pipeline named by the command, null when there is none.</param>
    /// <param name="dealExists">Whether a deal with this id was already captured.</param>
    public Decision Decide(Pipeline? pipeline, bool dealExists, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var invalid = Rejection.FirstOf(
            Identifiers.IsValid(DealId) ? null : Rejection.Invalid("dealId", "identifier", Identifiers.Rule),
            string.IsNullOrWhiteSpace(PipelineId) ? Rejection.Invalid("pipelineId", "required", "pipelineId is required.") : null,
            Text.Check(Name, "name", required: true),
            Text.Check(Owner, "owner", required: true),
            DealRules.CheckAmount(Amount),
            Text.Check(Team, "team", required: false),
            Text.Check(Region, "region", required: false),
            Text.Check(Product, "product", required: false),
            Text.Check(Account, "account", required: false),
            Currency is null || CurrencyCode().IsMatch(Currency) ? null : Rejection.Invalid("currency", "iso-4217", "currency is a three-letter ISO 4217 code such as USD."),
            CheckTags(),
            BusinessTime.CheckDate(ExpectedCloseDate, "expectedCloseDate"),
            BusinessTime.CheckOccurredAt(at, now),
            pipeline is null ? Rejection.Invalid("pipelineId", "unknown-pipeline", $"There is no pipeline '{PipelineId}'.") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var stage = Stage ?? pipeline!.Stages[0].Id;
        if (DealRules.CheckStage(pipeline!, stage) is { } unknownStage)
        {
            return unknownStage;
        }

        if (dealExists)
        {
            return Duplicate(DealId!);
        }

        return Decision.Accept(new DealCaptured(
            DealId!, PipelineId!, Name!.Trim(), Owner!.Trim(), Team?.Trim(), Region?.Trim(), Product?.Trim(), Account?.Trim(),
            Amount!.Value, Currency ?? DefaultCurrency, ExpectedCloseDate, Tags ?? [], stage, at));
    }

    private Rejection? CheckTags()
    {
        if (Tags is null)
        {
            return null;
        }

        if (Tags.Count > MaxTags)
        {
            return Rejection.Invalid("tags", "too-many", $"A deal carries at most {MaxTags} tags.");
        }

        var index = Tags.ToList().FindIndex(t => string.IsNullOrWhiteSpace(t) || t.Length > 100 || Text.HasControlCharacters(t));
        return index < 0 ? null : Rejection.Invalid($"tags[{index}]", "tag", "A tag is 1 to 100 characters, none of them control characters.");
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
