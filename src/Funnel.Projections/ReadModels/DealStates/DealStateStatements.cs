
namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Writes the running state of each deal a batch touched.</summary>
    public string UpsertStates { get; } = TimelineRows.UpsertMany(tables.DealStates);

    /// <summary>The states of deals a batch began, copied while the counters are left to a recount (<see cref="BatchCopy"/>).</summary>
    public CopiedRows CopyStates { get; } = CopiedRows.Straight(tables.DealStates);
}
