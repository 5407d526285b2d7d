namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's contribution to the stage counts: one of a stage's first entries made at <paramref name="At"/> (stage '': the
/// deal, captured then); the projection adds the new one and takes back the old one when they differ.
/// </summary>
public sealed record StageCount(string PipelineId, string Stage, bool Advanced, string Status, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N);

/// <summary>A row a deal contributes to a counter: its key and its sums (methods, so a row's JSON holds only its columns).</summary>
public interface ICounterRow<T>
    where T : ICounterRow<T>
{
    /// <summary>The key, every sum zero.</summary>
    T KeyOnly();

    T Negate();

    /// <summary>The sums of this row and another of the same key.</summary>
    T Plus(T other);

    bool IsZero();
}

/// <summary>A counter row whose only sum is <see cref="N"/>: the arithmetic of <see cref="ICounterRow{T}"/> from <see cref="WithN"/>.</summary>
public interface ICountedRow<T> : ICounterRow<T>
    where T : ICountedRow<T>
{
    long N { get; }

    /// <summary>The same key, counted <paramref name="n"/> times.</summary>
    T WithN(long n);

    T ICounterRow<T>.KeyOnly() => WithN(0);

    T ICounterRow<T>.Negate() => WithN(-N);

    T ICounterRow<T>.Plus(T other) => WithN(N + other.N);

    bool ICounterRow<T>.IsZero() => N == 0;
}

/// <summary>A deal's contributions to the counters, and the net changes a batch adds to them.</summary>
public static partial class TimelineCounts
{
    public static IReadOnlyList<StageCount> Of(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        StageCount Count(string stage, bool advanced, DateTimeOffset at) =>
            new(state.Deal.PipelineId, stage, advanced, a.Status, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", at, 1);
        return [Count("", false, state.Deal.CapturedAt), .. state.Facts.Select(f => Count(f.Key, f.Value.AdvancedAt is not null, f.Value.FirstEnteredAt))];
    }

    /// <summary>Changes summed per key, zeros left out: one row per counter a batch touches.</summary>
    public static IEnumerable<StageCount> Net(IEnumerable<StageCount> changes) =>
        changes.GroupBy(c => c with { N = 0 }).Select(g => g.Key with { N = g.Sum(c => c.N) }).Where(c => c.N != 0);

    /// <summary>What to add to go from each deal's contributions before a batch to those after it, summed per key, zeros left out.</summary>
    public static IEnumerable<T> NetChanges<T>(IEnumerable<(IReadOnlyList<T> Before, IReadOnlyList<T> After)> deals)
        where T : ICounterRow<T> =>
        deals.SelectMany(d => d.Before.Select(c => c.Negate()).Concat(d.After))
            .GroupBy(c => c.KeyOnly()).Select(g => g.Aggregate((x, y) => x.Plus(y))).Where(c => !c.IsZero());

    /// <summary>What to add to the counters to go from one contribution to the other: nothing when they are the same.</summary>
    public static IEnumerable<StageCount> Changes(IReadOnlyList<StageCount> before, IReadOnlyList<StageCount> after) =>
        before.Except(after).Select(c => c with { N = -1 }).Concat(after.Except(before));
}
