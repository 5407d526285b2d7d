using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using JasperFx.Events;

namespace Funnel.Projections.Timeline;

public sealed record PipelineVersionRow(
    string PipelineId, int Version, string Name, List<StageDefinition> Stages, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, long Seq, DateTimeOffset RecordedAt);

public sealed record ResidencyRow(
    string DealId, int N, string PipelineId, string Stage, DateTimeOffset EnteredAt, DateTimeOffset? ExitedAt, string? ExitKind, string? NextStage, long EnteredSeq, long? ExitedSeq);

public sealed record FactRow(string DealId, string Stage, string PipelineId, DateTimeOffset FirstEnteredAt, DateTimeOffset? AdvancedAt);

public sealed record IntervalRow(
    string DealId, int Version, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team,
    string? Region, string? Product, string? Account, DateOnly? ExpectedClose, string? LossReason, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo,
    string Period, long Seq, DateTimeOffset RecordedAt, long? ClosedSeq, DateTimeOffset? ClosedRecordedAt)
{
    public static IntervalRow From(Deal deal, DateTimeOffset at, IEvent e) => new(
        deal.Id, deal.Version, deal.PipelineId, deal.Stage, StatusOf(deal), deal.Amount, deal.Currency, deal.Owner, deal.Team, deal.Region, deal.Product,
        deal.Account, deal.ExpectedCloseDate, deal.LossReason, at, null, $"[{at:O},)", e.Sequence, e.Timestamp, null, null);

    public static string StatusOf(Deal deal) => deal.Status.ToString().ToLowerInvariant();
}

public sealed record CurrentRow(
    string DealId, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team, string? Region,
    string? Product, string? Account, DateOnly? ExpectedClose, string? LossReason, DateTimeOffset CapturedAt, DateTimeOffset StageEnteredAt,
    DateTimeOffset? ClosedAt, int Version, long LastSeq, DealTimelineState State)
{
    public static CurrentRow From(DealTimelineState state, long seq)
    {
        var d = state.Deal;
        return new(d.Id, d.PipelineId, d.Stage, IntervalRow.StatusOf(d), d.Amount, d.Currency, d.Owner, d.Team, d.Region, d.Product, d.Account,
            d.ExpectedCloseDate, d.LossReason, d.CapturedAt, d.StageEnteredAt, d.ClosedAt, d.Version, seq, state);
    }
}
