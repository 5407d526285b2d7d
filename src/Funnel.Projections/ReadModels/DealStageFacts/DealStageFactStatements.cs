
namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Writes the stage facts a batch began or advanced.</summary>
    public string UpsertFacts { get; } = TimelineRows.UpsertMany(tables.DealStageFacts);

    /// <summary>Adds a batch's net changes to the stage counters.</summary>
    public string AddStageCounts { get; } = AddMany(tables.StageCounts);
}
