using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;

namespace Funnel.Host.Deals;

/// <summary>A deal as it stands now, weighted by its stage's win probability in the current pipeline definition.</summary>
public sealed record DealView(
    string DealId,
    string PipelineId,
    string Name,
    string Stage,
    DealStatus Status,
    decimal Amount,
    string Currency,
    string Owner,
    string? Team,
    string? Region,
    string? Product,
    string? Account,
    DateOnly? ExpectedCloseDate,
    IReadOnlyList<string> Tags,
    decimal Probability,
    decimal WeightedAmount,
    DateTimeOffset CapturedAt,
    DateTimeOffset StageEnteredAt,
    DateTimeOffset? ClosedAt,
    string? LossReason,
    long Version)
{
    public static DealView From(Deal deal, Pipeline? pipeline)
    {
        var probability = WinProbability.Of(deal.Status, pipeline?.FindStage(deal.Stage)?.Probability);
        return new DealView(
            deal.Id, deal.PipelineId, deal.Name, deal.Stage, deal.Status, deal.Amount, deal.Currency, deal.Owner, deal.Team, deal.Region,
            deal.Product, deal.Account, deal.ExpectedCloseDate, deal.Tags, probability, deal.Amount * probability, deal.CapturedAt,
            deal.StageEnteredAt, deal.ClosedAt, deal.LossReason, deal.Version);
    }
}
