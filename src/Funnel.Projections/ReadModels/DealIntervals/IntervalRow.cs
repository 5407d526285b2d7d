using Funnel.Domain.Deals;
using JasperFx.Events;

namespace Funnel.Projections.Timeline;

/// <summary>A row of deal_intervals: the deal as it was from one event to the next, in business time.</summary>
public sealed record IntervalRow(
    string DealId, int Version, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team,
    string? Region, string? Product, string? Account, DateOnly? ExpectedClose, string? LossReason, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo,
    string Period, long Seq, DateTimeOffset RecordedAt, long? ClosedSeq, DateTimeOffset? ClosedRecordedAt, string? HandoverReason, string? PreviousOwner, string? Move,
    decimal? PreviousAmount)
{
    /// <summary>
    /// The interval event <paramref name="e"/> began, the deal having stood in <paramref name="stageBefore"/> with
    /// <paramref name="statusBefore"/> and <paramref name="amountBefore"/> (null: new); one begun by an owner change keeps the
    /// owner before (and a handover's reason), one begun by a change of amount the amount before.
    /// </summary>
    public static IntervalRow From(Deal deal, DateTimeOffset at, IEvent e, DealStatus? statusBefore, string? stageBefore, decimal? amountBefore)
    {
        var previousOwner = (e.Data as DealOwnerReassigned)?.PreviousOwner;
        return new(
            deal.Id, deal.Version, deal.PipelineId, deal.Stage, StatusOf(deal), deal.Amount, deal.Currency, deal.Owner, deal.Team, deal.Region, deal.Product,
            deal.Account, deal.ExpectedCloseDate, deal.LossReason, at, null, $"[{at:O},)", e.Sequence, e.Timestamp, null, null,
            (e.Data as DealOwnerReassigned)?.HandoverReason, previousOwner, DealMove.Of(statusBefore, stageBefore, deal, previousOwner),
            amountBefore is { } before && before != deal.Amount ? before : null);
    }

    /// <summary>This interval ended by event <paramref name="e"/> at <paramref name="to"/> (business time).</summary>
    public IntervalRow ClosedBy(DateTimeOffset to, IEvent e) => this with { ValidTo = to, Period = $"[{ValidFrom:O},{to:O})", ClosedSeq = e.Sequence, ClosedRecordedAt = e.Timestamp };

    public static string StatusOf(Deal deal) => StatusOf(deal.Status);

    /// <summary>A status as the read models store it (open, won, lost).</summary>
    public static string StatusOf(DealStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>A row of amount_changes: the interval <paramref name="Version"/> of a deal began with a new amount, under the interval's own stage and filter attributes.</summary>
public sealed record AmountChangeRow(
    string DealId, int Version, string PipelineId, DateTimeOffset ValidFrom, string Stage, decimal PreviousAmount, decimal Amount, string Owner, string? Team, string? Region, string? Product)
{
    /// <summary>The change of amount <paramref name="i"/> began, if it began with one.</summary>
    public static AmountChangeRow? Of(IntervalRow i) => i.PreviousAmount is { } before
        ? new(i.DealId, i.Version, i.PipelineId, i.ValidFrom, i.Stage, before, i.Amount, i.Owner, i.Team, i.Region, i.Product)
        : null;

    /// <summary>The changes of amount the intervals began, in their order.</summary>
    public static IReadOnlyList<AmountChangeRow> In(IEnumerable<IntervalRow> intervals) => [.. intervals.Select(Of).OfType<AmountChangeRow>()];
}
