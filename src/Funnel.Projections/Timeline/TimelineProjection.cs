using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Turns the event stream into the time-bounded rows every report reads: pipeline versions, deal intervals,
/// stage residencies, per-stage first entries and advances, the current deal, and the activities reps log. It folds deals with the
/// domain's own <see cref="Deal.Evolve"/> and depends only on the events in sequence order, so a rebuild
/// writes the same rows. What a daemon batch creates is gathered and written at its last event (<see cref="TimelineBatch"/>).
/// </summary>
public sealed partial class TimelineProjection : EventProjection
{
    /// <summary>The default tenant's projection; another tenant's is named after it (<see cref="TenantStorage.ProjectionName"/>).</summary>
    public const string ProjectionName = "FunnelTimeline";

    /// <summary>The default tenant's projection's one shard: its name in the daemon and in mt_event_progression.</summary>
    public const string ShardName = ProjectionName + ":All";

    public const int DefaultCachedDeals = 50_000;

    public const int DefaultBatchSize = 5_000;

    public const int DefaultRecountBehind = 25_000;

    private readonly TimelineCache cache;

    /// <summary>The tables it writes.</summary>
    public TimelineTableSet Tables { get; }

    /// <summary>The Marten tenant id of the only events this projection reads: each tenant's read models are its own.</summary>
    private readonly string tenantId;

    /// <param name="tenant">The tenant whose events it projects; other tenants' events pass it by.</param>
    /// <param name="tables">Where to write: the tenant's live tables, or (to verify them) a copy in another schema.</param>
    /// <param name="name">The projection's name, which keys its progress in the daemon: the tenant's unless given.</param>
    /// <param name="cachedDeals">How many deals to keep in memory between batches; past that the next batch starts afresh.</param>
    /// <param name="calendar">Where the dated counters' days begin: the organisation's zone (UTC unless given).</param>
    /// <param name="batchSize">How many events the daemon hands it at a time.</param>
    /// <param name="recountBehind">How far behind the store's head it may fall and still count batch by batch (<see cref="TimelineCache"/>).</param>
    public TimelineProjection(
        string tenant, TimelineTableSet? tables = null, string? name = null, int cachedDeals = DefaultCachedDeals, CounterCalendar? calendar = null, int batchSize = DefaultBatchSize,
        int recountBehind = DefaultRecountBehind)
    {
        tenantId = TenantStorage.MartenId(tenant);
        tables ??= TenantStorage.ReadModels(tenant);
        Tables = tables;
        cache = new TimelineCache(tables, calendar ?? CounterCalendar.Utc, cachedDeals, batchSize, recountBehind);
        Name = name ?? TenantStorage.ProjectionName(tenant);
        foreach (var type in EventTypes)
        {
            IncludeType(type);
        }

        // Each daemon batch writes its rows with one statement per table: bigger batches, fewer statements per event.
        Options.BatchSize = batchSize;
        Options.MaximumHopperSize = 20_000;
        foreach (var table in tables.All)
        {
            SchemaObjects.Add(table);
            Options.DeleteDataInTableOnTeardown(table.Identifier.QualifiedName);
        }
    }

    public override Task EnrichEventsAsync(IQuerySession querySession, IReadOnlyList<IEvent> events, CancellationToken cancellation) =>
        PrepareAsync(querySession, events, events.Count > 0 ? events[^1].Sequence : 0, () => Task.CompletedTask, cancellation);

    /// <summary>Readies the cache for a batch (<see cref="TimelineCache.PrepareAsync"/>): the daemon's, or a rebuild's (<see cref="TimelineRebuild"/>).</summary>
    internal Task PrepareAsync(IQuerySession session, IReadOnlyList<IEvent> events, long? through, Func<Task> settle, CancellationToken ct) =>
        cache.PrepareAsync(session, [.. events.Where(Projects)], through, settle, ct);

    /// <summary>A rebuild begins: forget everything, take batches stream by stream, and count from the tenant's <paramref name="firstEvent"/>.</summary>
    internal void BeginRebuild(long firstEvent) => cache.BeginRebuild(firstEvent);

    /// <summary>The event types it projects: those the daemon hands it.</summary>
    public static IReadOnlyList<Type> EventTypes { get; } = [.. DealEvents.OnStream.Concat(PipelineEvents.All)];

    /// <summary>The Marten tenant id of the events it projects.</summary>
    internal string MartenTenant => tenantId;

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (!Projects(e))
        {
            return ValueTask.CompletedTask;
        }

        switch (e.Data)
        {
            case PipelineDefined defined:
                ApplyPipeline(operations, e, defined.PipelineId, defined.Name, defined.Stages, defined.OccurredAt);
                break;
            case PipelineRedefined redefined:
                ApplyPipeline(operations, e, redefined.PipelineId, redefined.Name, redefined.Stages, redefined.OccurredAt);
                break;
            case IDealEvent dealEvent:
                ApplyDeal(operations, e, dealEvent);
                break;
            case ActivityLogged activity:
                ApplyActivity(e, activity);
                break;
        }

        if (cache.Batch.LastSequence == 0 || e.Sequence == cache.Batch.LastSequence)
        {
            cache.Batch.Write(operations, cache.Statements, cache.Deals, cache.Summed);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>What the current batch writes with (<see cref="TimelineCache.Statements"/>).</summary>
    private TimelineStatements Sql => cache.Statements;

    private bool Projects(IEvent e) => (e.TenantId ?? TenantStorage.MartenDefault) == tenantId;

    /// <summary>
    /// A deal's event, step by step; each read model's step is in its folder: the interval it ends and the one it begins
    /// (DealIntervals), the stays in stages (StageResidencies), first entries and advances (DealStageFacts), and the
    /// attributes copied onto earlier rows. Counters and current rows are written with the batch (TimelineBatch).
    /// </summary>
    private void ApplyDeal(IDocumentOperations operations, IEvent e, IDealEvent dealEvent)
    {
        var at = dealEvent.OccurredAt;
        var state = cache.Deals.GetValueOrDefault(dealEvent.DealId) ?? new DealTimelineState();
        var inBatch = cache.Batch.Deal(dealEvent.DealId, state, cache.TakesContributions);
        inBatch.LastSequence = e.Sequence;
        var existed = state.Deal.Version > 0;
        var wasOpenIn = existed && state.Deal.Status == DealStatus.Open ? state.Deal.Stage : null;
        var attributesBefore = existed ? DealAttributes.Of(state) : null;
        var statusBefore = existed ? state.Deal.Status : (DealStatus?)null;
        var stageBefore = existed ? state.Deal.Stage : null;
        var amountBefore = existed ? state.Deal.Amount : (decimal?)null;
        EndInterval(operations, e, state.Deal, at);

        var deal = Deal.Evolve(existed ? state.Deal : null, e.Data);
        deal.Version = (int)e.Version;
        state.Deal = deal;
        state.StreamVersion = deal.Version;
        if (statusBefore != deal.Status)
        {
            state.StatusChangedAt = at;
            state.Statuses.Add(new StatusChange(at, IntervalRow.StatusOf(deal)));
        }

        if (attributesBefore is null || (attributesBefore.Owner, attributesBefore.Team, attributesBefore.Region) != (deal.Owner, deal.Team, deal.Region))
        {
            state.Owners.Add(new OwnerChange(at, deal.Owner, deal.Team, deal.Region));
        }

        cache.Deals[deal.Id] = state;
        BeginInterval(e, deal, at, statusBefore, stageBefore, amountBefore);
        var attributes = DealAttributes.Of(state);
        var nowOpenIn = deal.Status == DealStatus.Open ? deal.Stage : null;
        var exit = wasOpenIn is not null && wasOpenIn != nowOpenIn ? ExitKindOf(e.Data) : null;
        if (exit is not null)
        {
            ExitResidency(operations, e, state, at, nowOpenIn, exit);
        }

        if (nowOpenIn is not null && nowOpenIn != wasOpenIn)
        {
            EnterResidency(e, state, nowOpenIn, at, attributes);
            RecordEntry(state, nowOpenIn, at, e.Sequence);
        }

        if (e.Data is DealWon)
        {
            Advance(state, at, _ => true);
        }

        RestampActivities(operations, state, at, wasOpenIn, exit);

        // A deal that began in this batch has no rows of earlier batches to copy them onto.
        if (attributesBefore is not null && attributesBefore != attributes && !inBatch.Began)
        {
            CopyAttributes(operations, deal.Id, attributesBefore, attributes);
        }
    }

    /// <summary>
    /// Rows written by earlier batches take the deal's new status and attributes (and its ended stays change dwell
    /// buckets when a filter attribute changed); rows of this batch are written with them at its end.
    /// </summary>
    private void CopyAttributes(IDocumentOperations operations, string dealId, DealAttributes before, DealAttributes after)
    {
        if ((before.Owner, before.Team, before.Region, before.Product) != (after.Owner, after.Team, after.Region, after.Product))
        {
            Sql.MoveDwell(operations, dealId, before, after);
        }

        Sql.CopyAttributes(operations, dealId, after);
    }
}
