namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's contribution to the stay change counts: at <paramref name="At"/> a stay in <paramref name="Stage"/> was
/// entered (<paramref name="Change"/> <see cref="TimelineCounts.Entered"/>) or left as <paramref name="Change"/> says
/// (advanced, regressed, won, lost), under the deal's current filter attributes.
/// </summary>
public sealed record StayChangeCount(string PipelineId, string Stage, string Change, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICountedRow<StayChangeCount>
{
    public StayChangeCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    /// <summary>The change a stay's entry is counted under; its exit is counted under how it was left.</summary>
    public const string Entered = "entered";

    /// <summary>Each stay of the deal (its residencies): entered, and left as it was left once it has ended.</summary>
    public static IReadOnlyList<StayChangeCount> StayChangesOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        StayChangeCount Change(string stage, string change, DateTimeOffset at) =>
            new(state.Deal.PipelineId, stage, change, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", at, 1);
        var changes = new List<StayChangeCount>();
        for (var i = 0; i < state.Stages.Count; i++)
        {
            if (state.Stages[i].Stage is not { } stage)
            {
                continue;
            }

            changes.Add(Change(stage, Entered, state.Stages[i].At));
            if (i + 1 < state.Stages.Count && state.Stages[i + 1] is { Exit: { } exit, At: var left })
            {
                changes.Add(Change(stage, exit, left));
            }
        }

        return changes;
    }
}
