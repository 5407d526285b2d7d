namespace Funnel.Projections.Timeline;

/// <summary>
/// The counters drawn from a deal's state alone (<see cref="TimelineCounts"/>): a batch adds, for each deal it touched,
/// the deal's contribution after it less its contribution before it; a recount adds every stored deal's contribution to
/// empty counters (<see cref="CounterRecount"/>). Both write with the same statements.
/// </summary>
internal static class StateCounters
{
    /// <summary>The statements that add to these counters, one a counter.</summary>
    public static IReadOnlyList<CounterAdd> Adds(TimelineStatements sql) =>
        [sql.AddStageCounts, sql.AddStageStatusCounts, sql.AddDealCounts, sql.AddOpenStayCounts, sql.AddOpenStayTotals, sql.AddOpenTouchCounts, sql.AddCloseCounts, sql.AddAdvanceCounts, sql.AddEffortCounts, sql.AddEffortDatedCounts, sql.AddEffortDatedTotals, sql.AddTouchSpanCounts, sql.AddOpenSpanCounts];

    /// <summary>The rows that add what changed, with the counters they add to (some take the same rows); none where nothing changed.</summary>
    public static IEnumerable<(IReadOnlyList<CounterAdd> Adds, IReadOnlyList<object> Rows)> Changes(TimelineStatements sql, IReadOnlyCollection<(BatchDeal Before, DealTimelineState After)> deals)
    {
        IEnumerable<T> Net<T>(Func<BatchDeal, IReadOnlyList<T>> before, Func<DealTimelineState, IReadOnlyList<T>> now)
            where T : ICounterRow<T> => TimelineCounts.NetChanges(deals.Select(d => (before(d.Before), now(d.After))));

        (CounterAdd[] Adds, IEnumerable<object> Rows)[] changes =
        [
            ([sql.AddStageCounts], TimelineCounts.Net(deals.SelectMany(d => TimelineCounts.Changes(d.Before.CountsBefore, TimelineCounts.Of(d.After))))),
            ([sql.AddStageStatusCounts], TimelineCounts.DatedChanges(deals.Select(d => (d.Before.DatedBefore, TimelineCounts.DatedOf(d.After))))),
            ([sql.AddDealCounts], TimelineCounts.Net(deals.SelectMany(d => TimelineCounts.Changes(d.Before.DealCountBefore, TimelineCounts.DealOf(d.After))))),
            ([sql.AddOpenStayCounts, sql.AddOpenStayTotals], Net(d => d.OpenStayBefore, TimelineCounts.OpenStayOf)),
            ([sql.AddOpenTouchCounts], Net(d => d.OpenTouchBefore, TimelineCounts.OpenTouchOf)),
            // The open span counts take the same rows, their touch left out.
            ([sql.AddTouchSpanCounts, sql.AddOpenSpanCounts], Net(d => d.TouchSpansBefore, TimelineCounts.TouchSpanCountsOf)),
            ([sql.AddCloseCounts], Net(d => d.ClosesBefore, TimelineCounts.ClosesOf)),
            ([sql.AddAdvanceCounts], Net(d => d.AdvancesBefore, TimelineCounts.AdvancesOf)),
            ([sql.AddEffortCounts], Net(d => d.EffortBefore, TimelineCounts.EffortOf)),
            // The totals take the same rows as the dated counts (their attributes left out): serialized once for both.
            ([sql.AddEffortDatedCounts, sql.AddEffortDatedTotals], Net(d => d.DatedEffortBefore, TimelineCounts.DatedEffortOf)),
        ];
        foreach (var (adds, rows) in changes)
        {
            var list = rows.ToList();
            if (list.Count > 0)
            {
                yield return (adds, list);
            }
        }
    }
}
