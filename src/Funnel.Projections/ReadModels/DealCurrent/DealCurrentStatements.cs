
namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Writes the current row of each deal a batch touched.</summary>
    public string UpsertCurrent { get; } = TimelineRows.UpsertMany(tables.DealCurrent);

    /// <summary>The current rows of deals a batch began, copied while the counters are left to a recount (<see cref="BatchCopy"/>).</summary>
    public CopiedRows CopyCurrent { get; } = CopiedRows.Straight(tables.DealCurrent);

    /// <summary>Adds a batch's net changes to the deal counters.</summary>
    public CounterAdd AddDealCounts { get; } = AddMany(tables.DealCounts);

    /// <summary>Adds a batch's net open touch counts (<see cref="OpenTouchCount"/>) to the day of each last touch.</summary>
    public CounterAdd AddOpenTouchCounts { get; } = AddDated(tables.OpenTouchCounts, calendar.Happened);

    /// <summary>Adds a batch's net close counts (<see cref="CloseCount"/>) to the day of each close.</summary>
    public CounterAdd AddCloseCounts { get; } = AddDated(tables.CloseCounts, calendar.Happened);
}
