namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's contribution to the effort counts, dated by a stage's first entry (<paramref name="At"/>): kind '' counts the
/// entry itself (<paramref name="N"/> = 1), any other kind the activities of that kind logged in the stage; whether the
/// stage was advanced from and whether it was worked (an activity logged in it) as the deal stands, under its current
/// filter attributes.
/// </summary>
public sealed record EffortCount(
    string PipelineId, string Stage, bool Advanced, bool Worked, string Kind, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICountedRow<EffortCount>
{
    public EffortCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    /// <summary>The kind of an effort count that counts the stage's entries rather than activities.</summary>
    public const string Entries = "";

    public static IReadOnlyList<EffortCount> EffortOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        return
        [
            .. state.Facts.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f =>
            {
                var (advanced, kinds) = (f.Value.AdvancedAt is not null, f.Value.Activities ?? []);
                EffortCount Count(string kind, long n) =>
                    new(state.Deal.PipelineId, f.Key, advanced, kinds.Count > 0, kind, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", f.Value.FirstEnteredAt, n);
                return kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => Count(k.Key, k.Value)).Prepend(Count(Entries, 1));
            }),
        ];
    }

}
