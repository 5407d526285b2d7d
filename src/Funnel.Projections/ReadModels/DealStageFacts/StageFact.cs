namespace Funnel.Projections.Timeline;

/// <summary>A deal's first entry into a stage and its first advance from it (business time), kept in its running state.</summary>
public sealed class StageFact
{
    public DateTimeOffset FirstEnteredAt { get; set; }

    public DateTimeOffset? AdvancedAt { get; set; }
}
