
namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Writes the running state of each deal a batch touched.</summary>
    public string UpsertStates { get; } = TimelineRows.UpsertMany(tables.DealStates);
}
