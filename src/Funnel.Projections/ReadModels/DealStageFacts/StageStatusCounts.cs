namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's dated contribution: from <paramref name="At"/> on (business time), <paramref name="N"/> more of a stage's
/// first entries (stage '': of the pipeline's captured deals) stand in <paramref name="Status"/> (open, won, lost, or
/// <see cref="TimelineCounts.Advanced"/>), under the deal's current filter attributes.
/// </summary>
public sealed record DatedStageCount(string PipelineId, string Stage, string Status, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICountedRow<DatedStageCount>
{
    public DatedStageCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    /// <summary>The dated status of a stage's entries that have gone further (a later stage, or won).</summary>
    public const string Advanced = "advanced";

    /// <summary>
    /// The deal's dated contributions: each stage it entered counts from its first entry in the status the deal had then,
    /// moving with each later change of status; its advance counts from when it came; the deal itself (stage '') counts from
    /// its capture. Summed up to an instant, they are conversion at that instant: entered, advanced, won, lost, open.
    /// </summary>
    public static IReadOnlyList<DatedStageCount> DatedOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0 || state.Statuses.Count == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        DatedStageCount Count(string stage, string status, DateTimeOffset at, long n) =>
            new(state.Deal.PipelineId, stage, status, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", at, n);

        IEnumerable<DatedStageCount> StatusesFrom(string stage, DateTimeOffset entered)
        {
            for (var i = 0; i < state.Statuses.Count; i++)
            {
                var (from, status) = (state.Statuses[i].At > entered ? state.Statuses[i].At : entered, state.Statuses[i].Status);
                DateTimeOffset? until = i + 1 < state.Statuses.Count ? state.Statuses[i + 1].At : null;
                if (until is { } ends && ends <= from)
                {
                    continue;
                }

                yield return Count(stage, status, from, 1);
                if (until is { } end)
                {
                    yield return Count(stage, status, end, -1);
                }
            }
        }

        return
        [
            .. StatusesFrom("", state.Statuses[0].At),
            .. state.Facts.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => StatusesFrom(f.Key, f.Value.FirstEnteredAt)),
            .. state.Facts.Where(f => f.Value.AdvancedAt is not null).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Count(f.Key, Advanced, f.Value.AdvancedAt!.Value, 1)),
        ];
    }
}
