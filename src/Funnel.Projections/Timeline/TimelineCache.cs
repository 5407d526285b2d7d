using System.Text.Json;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The projection's running state. The projection is the only writer of its tables, so what it holds in memory is
/// authoritative; deals it does not hold are loaded once per batch, in one query. Every batch writes the state of the
/// deals it touched, so past <paramref name="maxDeals"/> the memory can simply be let go before a batch.
/// </summary>
/// <param name="batchSize">The daemon's batch size: a batch that ends less than that before the store's newest event reached the head.</param>
/// <param name="recountBehind">
/// How far behind the head a counting projection may fall (a load, a long outage): past that, and past a quarter of the
/// store, it writes rows alone, sums the counters' changes in memory and adds them to the counters at the head
/// (<see cref="SummedCounters"/>), recounting there only those PostgreSQL's arithmetic counts (<see cref="CounterRecount"/>).
/// Counting costs each batch several times what its rows do; that recount costs the store once, which a quarter of the
/// store not counted batch by batch pays for.
/// </param>
internal sealed class TimelineCache(TimelineTableSet tables, CounterCalendar calendar, int maxDeals, int batchSize, int recountBehind)
{
    private readonly TimelineStatements counted = new(tables, calendar, counting: true);
    private readonly TimelineStatements uncounted = new(tables, calendar, counting: false);
    private readonly CounterRecount recount = new(tables, calendar);
    private long lastSequence;
    private bool pipelinesLoaded;

    /// <summary>Whether batches come stream by stream (a rebuild's), not in the store's sequence (the daemon's).</summary>
    private bool byStream;

    /// <summary>A rebuild's tenant's first event, from which its counters count; else the first batch's first.</summary>
    private long? countedFrom;

    /// <summary>Each pipeline's versions this cache has seen, oldest first: a rebuild folds a deal after every pipeline event.</summary>
    private readonly Dictionary<string, List<PipelineVersionRow>> pipelineVersions = [];

    /// <summary>Whether batches count as they go; null until read from the calendar (<see cref="CounterRecount"/>).</summary>
    private bool? counting;

    /// <summary>
    /// The counters' changes summed in memory batch by batch while a catch-up leaves the counters owed: from empty tables,
    /// what its recount would draw from every stored state; after falling behind while counting, what the batches since
    /// would have added (written onto the counters at the head, not recounting the store). Null when the counters are owed
    /// on a start (the changes before it are not in them), and let go when a batch is tried again.
    /// </summary>
    public SummedCounters? Summed { get; private set; }

    /// <summary>Whether a batch takes its deals' counter contributions before it: it counts, or it sums them (<see cref="Summed"/>).</summary>
    public bool TakesContributions => Statements.Counting || Summed is not null;

    public Dictionary<string, DealTimelineState> Deals { get; } = [];

    /// <summary>A pipeline as it was defined at an event: its latest version by then (those loaded at the start came before any event to come).</summary>
    public PipelineVersionRow? PipelineAt(string pipelineId, long sequence) =>
        pipelineVersions.GetValueOrDefault(pipelineId)?.LastOrDefault(v => v.Seq <= sequence);

    /// <summary>A pipeline's current version: the latest this cache has seen.</summary>
    public PipelineVersionRow? CurrentPipeline(string pipelineId) => pipelineVersions.GetValueOrDefault(pipelineId)?[^1];

    /// <summary>A pipeline's new version, now its current one.</summary>
    public void AddPipeline(PipelineVersionRow row) =>
        (pipelineVersions.TryGetValue(row.PipelineId, out var versions) ? versions : pipelineVersions[row.PipelineId] = []).Add(row);

    /// <summary>A rebuild begins (<see cref="TimelineRebuild"/>) on emptied tables: nothing held is so any longer.</summary>
    public void BeginRebuild(long firstEvent)
    {
        Forget();
        (byStream, countedFrom) = (true, firstEvent);
    }

    private void Forget()
    {
        Deals.Clear();
        pipelineVersions.Clear();
        pipelinesLoaded = false;
        (counting, Summed) = (null, null);
        Batch = new TimelineBatch();
    }

    /// <summary>What the current batch has gathered to write at its last event.</summary>
    public TimelineBatch Batch { get; private set; } = new();

    /// <summary>The statements this batch writes with: they count as they go unless a recount is owed.</summary>
    public TimelineStatements Statements => (counting ?? throw new InvalidOperationException("The timeline projection wrote a batch it did not prepare.")) ? counted : uncounted;

    /// <param name="events">The batch's events this projection handles.</param>
    /// <param name="through">How far the batch reaches in the store's sequence, other tenants' events included: whether it reached the head.</param>
    /// <param name="settle">
    /// Waits until the rows of earlier batches are committed, before the cache reads them back (the states of deals it let
    /// go, every stored row for a recount): the daemon commits each batch before the next, a rebuild writes one batch while
    /// it folds the next (<see cref="TimelineRebuild"/>).
    /// </param>
    public async Task PrepareAsync(IQuerySession session, IReadOnlyList<IEvent> events, long? through, Func<Task> settle, CancellationToken ct)
    {
        await PrepareDealsAsync(session, events, settle, ct);
        if (counting is null)
        {
            var (owed, empty) = await recount.StatusAsync(session, ct);
            if (!empty && !byStream && events.Count > 0 && await FromFirstEventAsync(session, events[0], ct))
            {
                // Rows from the first event on, before any is folded: a rebuild stopped halfway (it moves the progress
                // only at its end), which folded some deals whole. Folded again onto them, they would count twice.
                await recount.EmptyTablesAsync(session, ct);
                (owed, empty) = (true, true);
            }

            counting = !owed;
            Summed = owed && empty ? SummingChanges(ontoCounted: false) : null;
            if (owed)
            {
                await recount.HoldVacuumAsync(session, ct);
            }
        }

        // A rebuild's batch before its last: no point in the sequence, and far from the head.
        if (through is not { } reached || reached <= 0)
        {
            return;
        }

        var head = (await session.AdvancedSql.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {StoreTables.Events}", ct)).Single();
        var behind = head - reached;
        if (counting == true && behind > recountBehind && behind > head / 4)
        {
            // This batch's calendar mark says the counters are owed, in its transaction (TimelineStatements.MarkCalendar).
            counting = false;
            Summed = SummingChanges(ontoCounted: true);
            await recount.HoldVacuumAsync(session, ct);
        }
        else if (counting == false && behind < batchSize)
        {
            // Within a batch of the head rather than at it, so that steady traffic, which keeps the projection a few events behind, does not defer forever.
            await settle();
            await recount.RunAsync(session, Deals.Values, Summed, ct);
            (counting, Summed) = (true, null);
        }
    }

    /// <summary>Sums for the counters a catch-up leaves owed (<see cref="Summed"/>).</summary>
    private SummedCounters SummingChanges(bool ontoCounted) =>
        new([.. StateCounters.Adds(uncounted), .. RowCounters.Adds(uncounted, dealsWhole: byStream)], ontoCounted);

    /// <summary>Whether the batch begins with its tenant's first event: the fold begins at the start.</summary>
    private static async Task<bool> FromFirstEventAsync(IQuerySession session, IEvent first, CancellationToken ct) =>
        (await session.AdvancedSql.QueryAsync<bool>(
            $"select {StoreTables.FirstEventOf("?")} >= ?", ct, first.TenantId ?? TenantStorage.MartenDefault, first.Sequence)).Single();

    private async Task PrepareDealsAsync(IQuerySession session, IReadOnlyList<IEvent> events, Func<Task> settle, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        // Going back in the sequence means a rebuild (the tables were torn down) or a batch tried again after a failure
        // (nothing of it was written): either way what we remember, and what we gathered, is no longer so. A rebuild's
        // batches go back in it from one to the next (stream by stream), and begin with BeginRebuild.
        if (!byStream && events[0].Sequence <= lastSequence)
        {
            Forget();
        }

        if (byStream)
        {
            // A rebuild folds each deal whole in one batch: none is seen again, and none stored is read back.
            Deals.Clear();
        }
        else if (Deals.Count > maxDeals)
        {
            await settle();
            Deals.Clear();
        }

        lastSequence = events[^1].Sequence;
        var handled = events.Where(e => e.Data is Domain.Deals.IDealEvent or Domain.Activities.ActivityLogged or Domain.Pipelines.PipelineDefined or Domain.Pipelines.PipelineRedefined)
            .Select(e => e.Sequence).DefaultIfEmpty().ToList();
        // The batch is written at its last event (the daemon's, in the sequence, is its highest).
        Batch.Begin(Math.Min(countedFrom ?? long.MaxValue, handled.Min()), handled.Last());
        if (!pipelinesLoaded)
        {
            var rows = await session.AdvancedSql.QueryAsync<string>(
                $"select row_to_json(p)::text from {tables.PipelineVersions.Identifier.QualifiedName} p where valid_to is null", ct);
            foreach (var row in rows.Select(r => JsonSerializer.Deserialize<PipelineVersionRow>(r, TimelineRows.Json)!))
            {
                AddPipeline(row);
            }

            pipelinesLoaded = true;
        }

        var missing = byStream ? [] : events.Select(e => e.Data switch { Domain.Deals.IDealEvent d => d.DealId, Domain.Activities.ActivityLogged a => a.DealId, _ => null })
            .OfType<string>().Distinct().Where(id => !Deals.ContainsKey(id)).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        var states = await session.AdvancedSql.QueryAsync<string>(
            $"select state from {tables.DealStates.Identifier.QualifiedName} where deal_id = any(?)", ct, (object)missing);
        foreach (var state in states.Select(s => JsonSerializer.Deserialize<DealTimelineState>(s, TimelineRows.Json)!))
        {
            Deals[state.Deal.Id] = state;
        }
    }
}
