using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using JasperFx.Events;

namespace Funnel.Projections.Timeline;

public sealed record PipelineVersionRow(
    string PipelineId, int Version, string Name, List<StageDefinition> Stages, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo, long Seq, DateTimeOffset RecordedAt);

public sealed record ResidencyRow(
    string DealId, int N, string PipelineId, string Stage, DateTimeOffset EnteredAt, DateTimeOffset? ExitedAt, string? ExitKind, string? NextStage, long EnteredSeq, long? ExitedSeq, decimal? Days,
    string Status, DateTimeOffset StatusChangedAt, string Owner, string? Team, string? Region, string? Product)
{
    public ResidencyRow(string dealId, int n, string pipelineId, string stage, DateTimeOffset enteredAt, long enteredSeq, DealAttributes a)
        : this(dealId, n, pipelineId, stage, enteredAt, null, null, null, enteredSeq, null, null, a.Status, a.StatusChangedAt, a.Owner, a.Team, a.Region, a.Product)
    {
    }

    /// <summary>This residency carrying the deal's current status and filter attributes.</summary>
    public ResidencyRow WithAttributes(DealAttributes a) =>
        this with { Status = a.Status, StatusChangedAt = a.StatusChangedAt, Owner = a.Owner, Team = a.Team, Region = a.Region, Product = a.Product };
}

public sealed record FactRow(
    string DealId, string Stage, string PipelineId, DateTimeOffset FirstEnteredAt, DateTimeOffset? AdvancedAt,
    string Status, DateTimeOffset StatusChangedAt, string Owner, string? Team, string? Region, string? Product)
{
    public FactRow(string dealId, string stage, string pipelineId, StageFact fact, DealAttributes a)
        : this(dealId, stage, pipelineId, fact.FirstEnteredAt, fact.AdvancedAt, a.Status, a.StatusChangedAt, a.Owner, a.Team, a.Region, a.Product)
    {
    }
}

public sealed record IntervalRow(
    string DealId, int Version, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team,
    string? Region, string? Product, string? Account, DateOnly? ExpectedClose, string? LossReason, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo,
    string Period, long Seq, DateTimeOffset RecordedAt, long? ClosedSeq, DateTimeOffset? ClosedRecordedAt)
{
    public static IntervalRow From(Deal deal, DateTimeOffset at, IEvent e) => new(
        deal.Id, deal.Version, deal.PipelineId, deal.Stage, StatusOf(deal), deal.Amount, deal.Currency, deal.Owner, deal.Team, deal.Region, deal.Product,
        deal.Account, deal.ExpectedCloseDate, deal.LossReason, at, null, $"[{at:O},)", e.Sequence, e.Timestamp, null, null);

    /// <summary>This interval ended by event <paramref name="e"/> at <paramref name="to"/> (business time).</summary>
    public IntervalRow ClosedBy(DateTimeOffset to, IEvent e) => this with { ValidTo = to, Period = $"[{ValidFrom:O},{to:O})", ClosedSeq = e.Sequence, ClosedRecordedAt = e.Timestamp };

    public static string StatusOf(Deal deal) => deal.Status.ToString().ToLowerInvariant();
}

public sealed record CurrentRow(
    string DealId, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team, string? Region,
    string? Product, string? Account, DateOnly? ExpectedClose, string? LossReason, DateTimeOffset CapturedAt, DateTimeOffset StageEnteredAt,
    DateTimeOffset? ClosedAt, DateTimeOffset StatusChangedAt, int Version, long LastSeq)
{
    public static CurrentRow From(DealTimelineState state, long seq)
    {
        var d = state.Deal;
        return new(d.Id, d.PipelineId, d.Stage, IntervalRow.StatusOf(d), d.Amount, d.Currency, d.Owner, d.Team, d.Region, d.Product, d.Account,
            d.ExpectedCloseDate, d.LossReason, d.CapturedAt, d.StageEnteredAt, d.ClosedAt, state.StatusChangedAt, d.Version, seq);
    }
}

public sealed record StateRow(string DealId, DealTimelineState State);
