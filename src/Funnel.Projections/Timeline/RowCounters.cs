namespace Funnel.Projections.Timeline;

/// <summary>
/// The counters drawn from the intervals and activities a catch-up writes, summed in memory as it goes beside the state
/// counters (<see cref="SummedCounters"/>), each row counted as the statement that writes it would count it: at the head they
/// are written from the sums, where a recount grouped every stored row again in PostgreSQL (at a million deals, most of
/// what a rebuild did after its last batch). The dwell counters are still recounted from the rows: a stay's days are
/// PostgreSQL's arithmetic. So is a rep's day's deals, where a deal counts once a day however many batches log on it,
/// unless every deal's events come in one batch (a rebuild, deal by deal): then each batch counts its deals' rep-days.
/// </summary>
internal static class RowCounters
{
    /// <summary>The counters summed so, one a table; the reps' days' deals too when each batch holds its <paramref name="dealsWhole"/>.</summary>
    public static IReadOnlyList<CounterAdd> Adds(TimelineStatements sql, bool dealsWhole) =>
        [sql.SumIntervalCounts, sql.SumKnownIntervalCounts, sql.SumOpenCloseCounts, sql.SumRepDayMoves, sql.AddHandoverCounts, sql.AddAmountChangeCounts, sql.SumActivityCounts, .. dealsWhole ? [sql.SumRepDayDeals, sql.SumRepDayTeamDeals] : Array.Empty<CounterAdd>()];

    /// <summary>
    /// What a batch's new intervals (begun in it, perhaps closed in it too) and activities add; to the reps' days' deals
    /// only when <paramref name="dealsWhole"/> (the activities are every one of their deals').
    /// </summary>
    public static IEnumerable<(IReadOnlyList<CounterAdd> Adds, IReadOnlyList<object> Rows)> Written(
        TimelineStatements sql, IReadOnlyCollection<IntervalRow> intervals, IReadOnlyCollection<ActivityRow> activities, bool dealsWhole)
    {
        var counted = intervals.Select(CountedInterval.Written).ToList();
        foreach (var change in Of(sql, counted))
        {
            yield return change;
        }

        yield return ([sql.AddHandoverCounts], [.. TimelineStatements.Handovers(intervals)]);
        yield return ([sql.AddAmountChangeCounts], [.. TimelineStatements.AmountChangeCountsOf(AmountChangeRow.In(intervals))]);
        yield return ([sql.SumActivityCounts], [.. activities.Select(a => TimelineCounts.ActivityCountOf(a, sql.Calendar))]);
        if (dealsWhole)
        {
            yield return ([sql.SumRepDayDeals], [.. TimelineCounts.RepDayDealsOf(activities, sql.Calendar)]);
            yield return ([sql.SumRepDayTeamDeals], [.. TimelineCounts.RepDayTeamDealsOf(activities, sql.Calendar)]);
        }
    }

    /// <summary>What the end of an interval an earlier batch wrote adds (<see cref="CountedInterval.Ended"/>).</summary>
    public static IEnumerable<(IReadOnlyList<CounterAdd> Adds, IReadOnlyList<object> Rows)> Ended(TimelineStatements sql, CountedInterval ended) => Of(sql, [ended]);

    private static IEnumerable<(IReadOnlyList<CounterAdd> Adds, IReadOnlyList<object> Rows)> Of(TimelineStatements sql, IReadOnlyList<CountedInterval> intervals)
    {
        var calendar = sql.Calendar;
        yield return ([sql.SumIntervalCounts], [.. intervals.SelectMany(i => TimelineCounts.IntervalCountsOf(i, calendar))]);
        yield return ([sql.SumKnownIntervalCounts], [.. intervals.SelectMany(i => TimelineCounts.KnownIntervalCountsOf(i, calendar))]);
        yield return ([sql.SumOpenCloseCounts], [.. intervals.SelectMany(i => TimelineCounts.OpenCloseCountsOf(i, calendar))]);
        yield return ([sql.SumRepDayMoves], [.. intervals.SelectMany(i => TimelineCounts.RepDayMovesOf(i, calendar))]);
    }
}
