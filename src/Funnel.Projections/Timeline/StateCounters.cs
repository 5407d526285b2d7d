namespace Funnel.Projections.Timeline;

/// <summary>
/// The counters drawn from a deal's state alone (<see cref="TimelineCounts"/>): a batch adds, for each deal it touched,
/// the deal's contribution after it less its contribution before it; a recount adds every stored deal's contribution to
/// empty counters (<see cref="CounterRecount"/>). Both write with the same statements.
/// </summary>
internal static class StateCounters
{
    /// <summary>The statements that add to these counters, one a counter.</summary>
    public static IReadOnlyList<CounterAdd> Adds(TimelineStatements sql) => [.. Counted(sql).SelectMany(c => c.Adds)];

    /// <summary>The rows that add what changed, with the counters they add to (some take the same rows); none where nothing changed.</summary>
    public static IEnumerable<(IReadOnlyList<CounterAdd> Adds, IReadOnlyList<object> Rows)> Changes(TimelineStatements sql, IReadOnlyCollection<(BatchDeal Before, DealTimelineState After)> deals)
    {
        foreach (var counted in Counted(sql))
        {
            var rows = counted.Changes(deals).ToList();
            if (rows.Count > 0)
            {
                yield return (counted.Adds, rows);
            }
        }
    }

    /// <summary>
    /// What each of the deals adds to the counters alone, not summed across deals (a recount sums them,
    /// <see cref="CounterSums"/>): the rows <see cref="Changes"/> gives for deals unseen before, before they are summed.
    /// </summary>
    public static IEnumerable<(IReadOnlyList<CounterAdd> Adds, IReadOnlyList<object> Rows)> Contributions(TimelineStatements sql, IReadOnlyCollection<DealTimelineState> deals) =>
        Counted(sql).Select(c => ((IReadOnlyList<CounterAdd>)c.Adds, (IReadOnlyList<object>)[.. deals.SelectMany(c.Of)]));

    /// <summary>Each counter (or counters taking the same rows): what a batch adds for the deals it touched, and what one deal adds alone.</summary>
    private static IEnumerable<(CounterAdd[] Adds, Func<IReadOnlyCollection<(BatchDeal Before, DealTimelineState After)>, IEnumerable<object>> Changes, Func<DealTimelineState, IEnumerable<object>> Of)> Counted(TimelineStatements sql)
    {
        static Func<IReadOnlyCollection<(BatchDeal Before, DealTimelineState After)>, IEnumerable<object>> Net<T>(Func<BatchDeal, IReadOnlyList<T>> before, Func<DealTimelineState, IReadOnlyList<T>> now)
            where T : ICounterRow<T> => deals => TimelineCounts.NetChanges(deals.Select(d => (before(d.Before), now(d.After)))).Cast<object>();

        yield return ([sql.AddStageCounts], deals => TimelineCounts.Net(deals.SelectMany(d => TimelineCounts.Changes(d.Before.CountsBefore, TimelineCounts.Of(d.After)))),
            state => TimelineCounts.Changes([], TimelineCounts.Of(state)));
        yield return ([sql.AddStageStatusCounts], Net(d => d.DatedBefore, TimelineCounts.DatedOf), TimelineCounts.DatedOf);
        yield return ([sql.AddDealCounts], deals => TimelineCounts.Net(deals.SelectMany(d => TimelineCounts.Changes(d.Before.DealCountBefore, TimelineCounts.DealOf(d.After)))),
            state => TimelineCounts.Changes(null, TimelineCounts.DealOf(state)));
        yield return ([sql.AddOpenStayCounts, sql.AddOpenStayTotals], Net(d => d.OpenStayBefore, TimelineCounts.OpenStayOf), TimelineCounts.OpenStayOf);
        yield return ([sql.AddOpenTouchCounts], Net(d => d.OpenTouchBefore, TimelineCounts.OpenTouchOf), TimelineCounts.OpenTouchOf);
        // The open span counts take the same rows, their touch left out.
        yield return ([sql.AddTouchSpanCounts, sql.AddOpenSpanCounts], Net(d => d.TouchSpansBefore, TimelineCounts.TouchSpanCountsOf), TimelineCounts.TouchSpanCountsOf);
        yield return ([sql.AddTouchSpanAttributeCounts], Net(d => d.TouchSpanAttributesBefore, TimelineCounts.TouchSpanAttributeCountsOf), TimelineCounts.TouchSpanAttributeCountsOf);
        yield return ([sql.AddStayChangeCounts, sql.AddStayChangeTotals], Net(d => d.StayChangesBefore, TimelineCounts.StayChangesOf), TimelineCounts.StayChangesOf);
        yield return ([sql.AddEndedStayTotals, sql.AddEndedStayHourTotals], Net(d => d.EndedStaysBefore, TimelineCounts.EndedStaysOf), TimelineCounts.EndedStaysOf);
        yield return ([sql.AddStayEntryTotals, sql.AddStayEntryMonthTotals], Net(d => d.StayEntriesBefore, TimelineCounts.StayEntriesOf), TimelineCounts.StayEntriesOf);
        yield return ([sql.AddCloseCounts], Net(d => d.ClosesBefore, TimelineCounts.ClosesOf), TimelineCounts.ClosesOf);
        yield return ([sql.AddAdvanceCounts], Net(d => d.AdvancesBefore, TimelineCounts.AdvancesOf), TimelineCounts.AdvancesOf);
        yield return ([sql.AddEffortCounts], Net(d => d.EffortBefore, TimelineCounts.EffortOf), TimelineCounts.EffortOf);
        // The totals take the same rows as the dated counts (their attributes left out): serialized once for both.
        yield return ([sql.AddEffortDatedCounts, sql.AddEffortDatedTotals], Net(d => d.DatedEffortBefore, TimelineCounts.DatedEffortOf), TimelineCounts.DatedEffortOf);
    }
}
