using Funnel.Domain.Deals;

namespace Funnel.Projections.Timeline;

/// <summary>
/// What the interval counters take from an interval (the columns their statements count, <c>CountedOfInterval</c>), for
/// a catch-up that sums them in memory (<see cref="RowCounters"/>). <see cref="ValidFrom"/> is null when only the
/// interval's end is new (a batch closed one an earlier batch wrote), as the statement that closes it counts it.
/// </summary>
internal sealed record CountedInterval(
    string PipelineId, int Version, string Status, string Stage, string Owner, string? Team, string? Region, string? Product, decimal Amount,
    DateOnly? ExpectedClose, DateTimeOffset? ValidFrom, DateTimeOffset? ValidTo, DateTimeOffset? RecordedAt, DateTimeOffset? ClosedRecordedAt,
    string? Move, string? PreviousOwner)
{
    /// <summary>An interval a batch wrote: begun in it, perhaps closed in it too.</summary>
    public static CountedInterval Written(IntervalRow i) => new(
        i.PipelineId, i.Version, i.Status, i.Stage, i.Owner, i.Team, i.Region, i.Product, i.Amount, i.ExpectedClose, i.ValidFrom, i.ValidTo,
        i.RecordedAt, i.ClosedRecordedAt, i.Move, i.PreviousOwner);

    /// <summary>The end of the interval <paramref name="deal"/> stood in since its last event, written by an earlier batch.</summary>
    public static CountedInterval Ended(Deal deal, DateTimeOffset validTo, DateTimeOffset closedRecordedAt) => new(
        deal.PipelineId, deal.Version, IntervalRow.StatusOf(deal), deal.Stage, deal.Owner, deal.Team, deal.Region, deal.Product, deal.Amount,
        deal.ExpectedCloseDate, null, validTo, null, closedRecordedAt, null, null);
}

/// <summary>A row of the interval counts' sums: <see cref="At"/> is the day already (the starts and ends by their bucket, the begun by their calendar day).</summary>
internal sealed record IntervalCount(
    string PipelineId, DateOnly At, string Status, string Stage, string Owner, string Team, string Region, string Product, long N, decimal Amount,
    long Began, decimal BeganAmount, long Captured);

/// <summary>A row of the known interval counts' sums, at the bucket of a recording.</summary>
internal sealed record KnownIntervalCount(string PipelineId, DateOnly At, string Status, string Stage, string Owner, string Team, string Region, string Product, long N, decimal Amount);

/// <summary>A row of the open close counts' sums: an open interval with an expected close, by the month it is expected to close.</summary>
internal sealed record OpenCloseCount(string PipelineId, DateOnly At, string Stage, string Owner, string Team, DateOnly CloseMonth, long N, decimal Amount);

/// <summary>A row of the reps' day moves: a move on a rep's deal on its calendar day.</summary>
internal sealed record RepDayMove(string Rep, DateOnly Day, string Move, long N, decimal Amount);

public static partial class TimelineCounts
{
    /// <summary>What an interval adds to the interval counts, as their statement counts it (DealIntervalStatements).</summary>
    internal static IEnumerable<IntervalCount> IntervalCountsOf(CountedInterval i, CounterCalendar calendar)
    {
        var (team, region, product) = (i.Team ?? "", i.Region ?? "", i.Product ?? "");
        if (i.ValidFrom is { } from)
        {
            yield return new(i.PipelineId, calendar.BucketOf(from), i.Status, i.Stage, i.Owner, team, region, product, 1, i.Amount, 0, 0, 0);
            yield return new(i.PipelineId, calendar.DayOf(from), i.Status, i.Stage, i.Owner, team, region, product, 0, 0, 1, i.Amount, i.Version == 1 ? 1 : 0);
        }

        if (i.ValidTo is { } to)
        {
            yield return new(i.PipelineId, calendar.BucketOf(to), i.Status, i.Stage, i.Owner, team, region, product, -1, -i.Amount, 0, 0, 0);
        }
    }

    /// <summary>What an interval adds to the known interval counts: at its recording, and less at its end's.</summary>
    internal static IEnumerable<KnownIntervalCount> KnownIntervalCountsOf(CountedInterval i, CounterCalendar calendar)
    {
        var (team, region, product) = (i.Team ?? "", i.Region ?? "", i.Product ?? "");
        if (i.RecordedAt is { } recorded)
        {
            yield return new(i.PipelineId, calendar.BucketOf(recorded), i.Status, i.Stage, i.Owner, team, region, product, 1, i.Amount);
        }

        if (i.ClosedRecordedAt is { } closed)
        {
            yield return new(i.PipelineId, calendar.BucketOf(closed), i.Status, i.Stage, i.Owner, team, region, product, -1, -i.Amount);
        }
    }

    /// <summary>What an open interval with an expected close adds to the open close counts.</summary>
    internal static IEnumerable<OpenCloseCount> OpenCloseCountsOf(CountedInterval i, CounterCalendar calendar)
    {
        if (i.Status != IntervalRow.StatusOf(DealStatus.Open) || i.ExpectedClose is not { } close)
        {
            yield break;
        }

        var month = new DateOnly(close.Year, close.Month, 1);
        if (i.ValidFrom is { } from)
        {
            yield return new(i.PipelineId, calendar.BucketOf(from), i.Stage, i.Owner, i.Team ?? "", month, 1, i.Amount);
        }

        if (i.ValidTo is { } to)
        {
            yield return new(i.PipelineId, calendar.BucketOf(to), i.Stage, i.Owner, i.Team ?? "", month, -1, -i.Amount);
        }
    }

    /// <summary>The moves a new interval makes on its day: its owner's, and a handover's for the owner before.</summary>
    internal static IEnumerable<RepDayMove> RepDayMovesOf(CountedInterval i, CounterCalendar calendar)
    {
        if (i.ValidFrom is not { } from)
        {
            yield break;
        }

        if (i.Move is { } move)
        {
            yield return new(i.Owner, calendar.DayOf(from), move, 1, i.Amount);
        }

        if (i.PreviousOwner is { } previous && previous != i.Owner)
        {
            yield return new(previous, calendar.DayOf(from), DealMove.HandedOut, 1, i.Amount);
        }
    }
}
