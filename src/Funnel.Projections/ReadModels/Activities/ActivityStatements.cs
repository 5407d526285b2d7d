namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    public string UpsertActivities { get; } = TimelineRows.UpsertMany(tables.Activities);
}
