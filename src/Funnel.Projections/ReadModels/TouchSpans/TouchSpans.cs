using System.Text.Json.Serialization;

namespace Funnel.Projections.Timeline;

/// <summary>
/// A stretch of a deal's open time during which its last touch stays <paramref name="TouchedAt"/> (its latest activity
/// by then, <paramref name="Worked"/>, else its capture) and who holds it stays <paramref name="Held"/>: from
/// <paramref name="From"/> until the next activity, change of holder or the deal's close (<paramref name="To"/>, null
/// while it lasts). A deal open at an instant is in exactly one of its spans then.
/// </summary>
public sealed record TouchSpan(string DealId, string PipelineId, DateTimeOffset TouchedAt, bool Worked, DateTimeOffset From, DateTimeOffset? To, [property: JsonIgnore] DealAttributes Held);

/// <summary>
/// A touch span's contribution to the touch span counts: +1 from its start, -1 from its end, both under the instant it
/// was last touched, so the counts summed over touches up to a cut and instants up to asOf are the deals open at asOf
/// last touched by the cut; and, its touch left out, to the open span counts (summed up to asOf, the deals open then).
/// </summary>
public sealed record TouchSpanCount(string PipelineId, DateTimeOffset TouchedAt, DateTimeOffset At, long N) : ICountedRow<TouchSpanCount>
{
    public TouchSpanCount WithN(long n) => this with { N = n };
}

/// <summary>
/// The same contribution under the filter attributes the span's holder had ('' for none, as the interval counts keep
/// them): summed as <see cref="TouchSpanCount"/> over the attributes a filter names, the deals it selects at asOf touched
/// since a cut.
/// </summary>
public sealed record TouchSpanAttributeCount(string PipelineId, string Owner, string Team, string Region, string Product, DateTimeOffset TouchedAt, DateTimeOffset At, long N)
    : ICountedRow<TouchSpanAttributeCount>
{
    public TouchSpanAttributeCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    /// <summary>The deal's touch spans: its open periods cut at each activity logged in them.</summary>
    public static IReadOnlyList<TouchSpan> TouchSpansOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var open = IntervalRow.StatusOf(Domain.Deals.DealStatus.Open);
        var touches = state.Activities.Select(a => a.At).Distinct().Order().ToList();
        var spans = new List<TouchSpan>();
        for (var i = 0; i < state.Statuses.Count; i++)
        {
            if (state.Statuses[i].Status != open)
            {
                continue;
            }

            var (from, to) = (state.Statuses[i].At, i + 1 < state.Statuses.Count ? state.Statuses[i + 1].At : (DateTimeOffset?)null);
            // The last touch at the period's start: the latest activity by then, else the capture.
            var before = touches.LastOrDefault(t => t <= from, DateTimeOffset.MinValue);
            var (touchedAt, worked) = before == DateTimeOffset.MinValue ? (state.Deal.CapturedAt, false) : (before, true);
            var cuts = touches.Concat(state.Owners.Select(o => o.At)).Where(t => t > from && (to is not { } end || t < end)).Distinct().Order();
            foreach (var cut in cuts)
            {
                spans.Add(new TouchSpan(state.Deal.Id, state.Deal.PipelineId, touchedAt, worked, from, cut, state.AttributesAt(from)));
                from = cut;
                if (touches.BinarySearch(cut) >= 0)
                {
                    (touchedAt, worked) = (cut, true);
                }
            }

            spans.Add(new TouchSpan(state.Deal.Id, state.Deal.PipelineId, touchedAt, worked, from, to, state.AttributesAt(from)));
        }

        return spans;
    }

    public static IReadOnlyList<TouchSpanCount> TouchSpanCountsOf(DealTimelineState? state) =>
        [.. TouchSpansOf(state).SelectMany(s => Ends(s, (at, n) => new TouchSpanCount(s.PipelineId, s.TouchedAt, at, n)))];

    /// <summary>The same spans' contributions under the attributes of their holder.</summary>
    public static IReadOnlyList<TouchSpanAttributeCount> TouchSpanAttributeCountsOf(DealTimelineState? state) =>
        [.. TouchSpansOf(state).SelectMany(s => Ends(s, (at, n) =>
            new TouchSpanAttributeCount(s.PipelineId, s.Held.Owner, s.Held.Team ?? "", s.Held.Region ?? "", s.Held.Product ?? "", s.TouchedAt, at, n)))];

    /// <summary>A span's contribution: +1 from its start and, once it has ended, -1 from its end.</summary>
    private static IEnumerable<T> Ends<T>(TouchSpan span, Func<DateTimeOffset, long, T> count)
    {
        yield return count(span.From, 1);
        if (span.To is { } to)
        {
            yield return count(to, -1);
        }
    }
}
