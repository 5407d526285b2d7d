namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's dated contribution to effort: from <paramref name="At"/> on (business time), <paramref name="N"/> more of a
/// stage's first entries (kind '') stand advanced or not and worked or not, or <paramref name="N"/> more activities of a
/// kind were logged in the stage (flagged as the stage stood when each was logged), under the deal's current filter
/// attributes. Summed up to an instant, they are effort at that instant.
/// </summary>
public sealed record DatedEffortCount(
    string PipelineId, string Stage, bool Advanced, bool Worked, string Kind, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICountedRow<DatedEffortCount>
{
    public DatedEffortCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    /// <summary>
    /// Each stage the deal entered counts from its first entry, moving between advanced and worked as its first advance and
    /// its first activity come; each activity counts from its time in the stage the deal stood in then.
    /// </summary>
    public static IReadOnlyList<DatedEffortCount> DatedEffortOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        var logged = state.Activities.Select(l => (l.At, l.Kind, Stage: state.StageAt(l.At))).Where(l => l.Stage is not null).ToList();
        DatedEffortCount Count(string stage, bool advanced, bool worked, string kind, DateTimeOffset at, long n) =>
            new(state.Deal.PipelineId, stage, advanced, worked, kind, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", at, n);

        IEnumerable<DatedEffortCount> Entry(string stage, StageFact fact)
        {
            var inStage = logged.Where(l => l.Stage == stage).ToList();
            var worked = inStage.Select(l => (DateTimeOffset?)l.At).Min();
            bool Advanced(DateTimeOffset at) => fact.AdvancedAt <= at;
            bool Worked(DateTimeOffset at) => worked <= at;
            var changes = new[] { fact.FirstEnteredAt, fact.AdvancedAt, worked }.OfType<DateTimeOffset>().Where(t => t >= fact.FirstEnteredAt).Distinct().Order().ToList();
            for (var i = 0; i < changes.Count; i++)
            {
                yield return Count(stage, Advanced(changes[i]), Worked(changes[i]), Entries, changes[i], 1);
                if (i + 1 < changes.Count)
                {
                    yield return Count(stage, Advanced(changes[i]), Worked(changes[i]), Entries, changes[i + 1], -1);
                }
            }

            foreach (var l in inStage)
            {
                yield return Count(stage, Advanced(l.At), true, l.Kind, l.At, 1);
            }
        }

        return [.. state.Facts.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => Entry(f.Key, f.Value))];
    }
}
