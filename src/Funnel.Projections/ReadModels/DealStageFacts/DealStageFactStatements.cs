
namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Writes the stage facts a batch began or advanced.</summary>
    public string UpsertFacts { get; } = TimelineRows.UpsertMany(tables.DealStageFacts);

    /// <summary>The stage facts of deals a batch began, copied while the counters are left to a recount (<see cref="BatchCopy"/>).</summary>
    public CopiedRows CopyFacts { get; } = CopiedRows.Straight(tables.DealStageFacts);

    /// <summary>Adds a batch's net changes (<see cref="StageCount"/>) to the stage counts of the days the entries were made.</summary>
    public CounterAdd AddStageCounts { get; } = AddDated(tables.StageCounts, calendar.Happened);

    /// <summary>Adds a batch's net advance counts (<see cref="AdvanceCount"/>) to the day of each stage's first entry.</summary>
    public CounterAdd AddAdvanceCounts { get; } = AddDated(tables.AdvanceCounts, calendar.Happened);

    /// <summary>Adds a batch's net dated changes (<see cref="DatedStageCount"/>) to the buckets of their instants.</summary>
    public CounterAdd AddStageStatusCounts { get; } = AddDated(tables.StageStatusCounts, calendar.Bucket);
}
