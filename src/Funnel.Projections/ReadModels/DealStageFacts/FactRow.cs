namespace Funnel.Projections.Timeline;

/// <summary>A row of deal_stage_facts: a deal's first entry into a stage and when it first went further.</summary>
public sealed record FactRow(
    string DealId, string Stage, string PipelineId, DateTimeOffset FirstEnteredAt, DateTimeOffset? AdvancedAt,
    string Status, DateTimeOffset StatusChangedAt, string Owner, string? Team, string? Region, string? Product)
{
    public FactRow(string dealId, string stage, string pipelineId, StageFact fact, DealAttributes a)
        : this(dealId, stage, pipelineId, fact.FirstEnteredAt, fact.AdvancedAt, a.Status, a.StatusChangedAt, a.Owner, a.Team, a.Region, a.Product)
    {
    }
}
