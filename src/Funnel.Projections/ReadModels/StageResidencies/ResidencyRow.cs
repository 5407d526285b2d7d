namespace Funnel.Projections.Timeline;

/// <summary>A row of stage_residencies: one stay of a deal in a stage, with its deal's current status and filter attributes.</summary>
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
