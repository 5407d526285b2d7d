namespace Funnel.Projections.Timeline;

/// <summary>A row of deal_current: the deal as it stands now; last touched by its latest activity, else its capture.</summary>
public sealed record CurrentRow(
    string DealId, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team, string? Region,
    string? Product, string? Account, DateOnly? ExpectedClose, string? LossReason, DateTimeOffset CapturedAt, DateTimeOffset StageEnteredAt,
    DateTimeOffset? ClosedAt, DateTimeOffset StatusChangedAt, int Version, long LastSeq, DateTimeOffset? LastActivityAt, DateTimeOffset LastTouchAt)
{
    public static CurrentRow From(DealTimelineState state, long seq)
    {
        var d = state.Deal;
        return new(d.Id, d.PipelineId, d.Stage, IntervalRow.StatusOf(d), d.Amount, d.Currency, d.Owner, d.Team, d.Region, d.Product, d.Account,
            d.ExpectedCloseDate, d.LossReason, d.CapturedAt, d.StageEnteredAt, d.ClosedAt, state.StatusChangedAt, Math.Max(d.Version, state.StreamVersion), seq,
            state.LastActivityAt, LastTouchOf(state));
    }

    /// <summary>When the deal was last touched: its latest activity, else its capture.</summary>
    public static DateTimeOffset LastTouchOf(DealTimelineState state) => state.LastActivityAt ?? state.Deal.CapturedAt;
}
