using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The rows one daemon batch creates or changes, gathered in memory and written at its last event with one statement
/// per table (rows written by earlier batches are changed by statements queued as the events come). An import or a
/// rebuild then costs a few statements a batch instead of a dozen an event.
/// </summary>
internal sealed class TimelineBatch
{
    /// <summary>The batch's last event this projection handles; 0 when no batch was announced, so every event is one.</summary>
    public long LastSequence { get; private set; }

    /// <summary>The batch's first event this projection handles: where the counters began when it is the first batch.</summary>
    public long FirstSequence { get; private set; }

    /// <summary>Intervals begun in this batch, by deal and version; closing one here edits it in place.</summary>
    public Dictionary<(string DealId, int Version), IntervalRow> Intervals { get; } = [];

    /// <summary>Residencies begun in this batch, by deal and number; ending one here edits it in place.</summary>
    public Dictionary<(string DealId, int N), ResidencyRow> Residencies { get; } = [];

    /// <summary>Stage facts begun or advanced in this batch.</summary>
    public HashSet<(string DealId, string Stage)> Facts { get; } = [];

    /// <summary>Activities logged in this batch, by id.</summary>
    public Dictionary<string, ActivityRow> Activities { get; } = new(StringComparer.Ordinal);

    /// <summary>Those dated before their deal's latest event: stamped from its intervals once they are written.</summary>
    public HashSet<string> Backdated { get; } = new(StringComparer.Ordinal);

    /// <summary>Deals with events in this batch: their counter contributions before it, and their last event in it.</summary>
    public Dictionary<string, BatchDeal> Deals { get; } = [];

    public void Begin(long firstSequence, long lastSequence)
    {
        // Rows gathered but never written mean the daemon applied fewer events than it announced: stop rather than lose them.
        if (Deals.Count > 0 || Activities.Count > 0)
        {
            throw new InvalidOperationException("The timeline projection's previous batch ended before its last event; its rows were not written.");
        }

        (FirstSequence, LastSequence) = (firstSequence, lastSequence);
    }

    /// <summary>The deal as the batch found it; its counter contributions taken only when the batch <paramref name="counts"/>.</summary>
    public BatchDeal Deal(string dealId, DealTimelineState stateBefore, bool counts)
    {
        if (!Deals.TryGetValue(dealId, out var deal))
        {
            deal = Deals[dealId] = new BatchDeal(counts ? stateBefore : BatchDeal.NoState) { Began = stateBefore.Deal.Version == 0 };
        }

        return deal;
    }

    /// <summary>
    /// Queues one statement per table for everything gathered, with each deal's state as it ends the batch; the counters
    /// only when the statements count (not while a recount is owed: <see cref="CounterRecount"/>), else the state
    /// counters' changes and the rows' counts (<see cref="RowCounters"/>) added to <paramref name="summed"/> when given.
    /// </summary>
    public void Write(IDocumentOperations operations, TimelineStatements sql, IReadOnlyDictionary<string, DealTimelineState> states, SummedCounters? summed)
    {
        var attributes = Deals.Keys.ToDictionary(id => id, id => DealAttributes.Of(states[id]));
        // New rows counted by nothing go by COPY; counted, each statement counts what it writes.
        var copy = sql.Counting ? null : BatchCopy.For(operations);
        void Write<T>(string upsert, CopiedRows copied, IEnumerable<T> rows)
            where T : notnull
        {
            if (copy is null)
            {
                Queue(operations, upsert, rows);
            }
            else
            {
                copy.Add(copied, rows);
            }
        }

        // A deal the batch began has no row of an earlier batch to update: uncounted, its current row, facts and state go by COPY too.
        void WriteByDeal<T>(string upsert, CopiedRows copied, IEnumerable<T> rows, Func<T, string> dealOf)
            where T : notnull
        {
            var began = rows.ToLookup(r => copy is not null && Deals[dealOf(r)].Began);
            Queue(operations, upsert, began[false]);
            copy?.Add(copied, began[true]);
        }

        var intervals = Intervals.OrderBy(i => i.Key).Select(i => i.Value).ToList();
        Write(sql.UpsertIntervals, sql.CopyIntervals, intervals);
        var amountChanges = AmountChangeRow.In(intervals);
        Write(sql.UpsertAmountChanges, sql.CopyAmountChanges, amountChanges);
        Write(sql.UpsertResidencies, sql.CopyResidencies, Residencies.OrderBy(r => r.Key).Select(r => r.Value.WithAttributes(attributes[r.Key.DealId])));
        var dealIds = Deals.Keys.Order(StringComparer.Ordinal).ToList();
        WriteByDeal(sql.UpsertFacts, sql.CopyFacts, Facts.Order().Select(f => new FactRow(f.DealId, f.Stage, states[f.DealId].Deal.PipelineId, states[f.DealId].Facts[f.Stage], attributes[f.DealId])), f => f.DealId);
        WriteByDeal(sql.UpsertCurrent, sql.CopyCurrent, dealIds.Select(id => CurrentRow.From(states[id], Deals[id].LastSequence)), c => c.DealId);
        // A deal's touch spans are drawn from its whole state: written again whole for each deal the batch touched (and had some before it).
        Queue(operations, sql.DeleteTouchSpans, dealIds.Where(id => !Deals[id].Began));
        Write(sql.InsertTouchSpans, sql.CopyTouchSpans, dealIds.SelectMany(id => TimelineCounts.TouchSpansOf(states[id])));
        WriteByDeal(sql.UpsertStates, sql.CopyStates, dealIds.Select(id => new StateRow(id, states[id])), s => s.DealId);
        if (summed is not null && !sql.Counting)
        {
            summed.Add(StateCounters.Changes(sql, [.. Deals.Select(d => (d.Value, states[d.Key]))]));
            summed.Add(RowCounters.Written(sql, Intervals.Values, Activities.Values, dealsWhole: summed.Counters.Contains(sql.SumRepDayDeals.Counts)));
        }

        if (sql.Counting)
        {
            Queue(operations, sql.AddHandoverCounts.Rows, TimelineStatements.Handovers(Intervals.Values));
            Queue(operations, sql.AddAmountChangeCounts.Rows, TimelineStatements.AmountChangeCountsOf(amountChanges));
            foreach (var (adds, rows) in StateCounters.Changes(sql, [.. Deals.Select(d => (d.Value, states[d.Key]))]))
            {
                // Serialized once for the counters that take the same rows.
                var json = TimelineRows.Serialize(rows);
                foreach (var add in adds)
                {
                    operations.QueueSqlCommand(TimelineRows.Placeholder, add.Rows, json);
                }
            }
        }

        Write(sql.UpsertActivities, sql.CopyActivities, Activities.Values.OrderBy(a => a.ActivityId, StringComparer.Ordinal));
        sql.MarkCalendar(operations, FirstSequence);
        if (Backdated.Count > 0)
        {
            // After the intervals and activities are written: by the statements queued above, or by the copy.
            var ids = Backdated.Order(StringComparer.Ordinal).ToArray();
            if (copy is null)
            {
                operations.QueueSqlCommand(TimelineRows.Placeholder, sql.StampBackdatedActivities(TimelineRows.Placeholder.ToString()), (object)ids);
            }
            else
            {
                copy.Then(sql.StampBackdatedActivities("$1"), ids);
            }
        }

        Intervals.Clear();
        Activities.Clear();
        Backdated.Clear();
        Residencies.Clear();
        Facts.Clear();
        Deals.Clear();
    }

    private static void Queue<T>(IDocumentOperations operations, string statement, IEnumerable<T> rows)
    {
        var list = rows.ToList();
        if (list.Count > 0)
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, statement, TimelineRows.Serialize(list));
        }
    }
}

/// <summary>A deal a batch touches: its contributions to the counters as it was before the batch, and its last event in it.</summary>
internal sealed class BatchDeal(DealTimelineState before)
{
    /// <summary>The state of a deal before its first event: it contributes nothing.</summary>
    public static DealTimelineState NoState { get; } = new();

    public IReadOnlyList<StageCount> CountsBefore { get; } = TimelineCounts.Of(before);

    public DealCount? DealCountBefore { get; } = TimelineCounts.DealOf(before);

    public IReadOnlyList<DatedStageCount> DatedBefore { get; } = TimelineCounts.DatedOf(before);

    public IReadOnlyList<EffortCount> EffortBefore { get; } = TimelineCounts.EffortOf(before);

    public IReadOnlyList<DatedEffortCount> DatedEffortBefore { get; } = TimelineCounts.DatedEffortOf(before);

    public IReadOnlyList<AdvanceCount> AdvancesBefore { get; } = TimelineCounts.AdvancesOf(before);

    public IReadOnlyList<CloseCount> ClosesBefore { get; } = TimelineCounts.ClosesOf(before);

    public IReadOnlyList<OpenStayCount> OpenStayBefore { get; } = TimelineCounts.OpenStayOf(before);

    public IReadOnlyList<OpenTouchCount> OpenTouchBefore { get; } = TimelineCounts.OpenTouchOf(before);

    public IReadOnlyList<TouchSpanCount> TouchSpansBefore { get; } = TimelineCounts.TouchSpanCountsOf(before);

    public IReadOnlyList<TouchSpanAttributeCount> TouchSpanAttributesBefore { get; } = TimelineCounts.TouchSpanAttributeCountsOf(before);

    public IReadOnlyList<StayChangeCount> StayChangesBefore { get; } = TimelineCounts.StayChangesOf(before);

    public IReadOnlyList<EndedStayCount> EndedStaysBefore { get; } = TimelineCounts.EndedStaysOf(before);

    public IReadOnlyList<StayEntryCount> StayEntriesBefore { get; } = TimelineCounts.StayEntriesOf(before);

    public long LastSequence { get; set; }

    /// <summary>Whether the deal began in the batch: none of its rows were written by an earlier one.</summary>
    public bool Began { get; init; }
}
