using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Turns the event stream into the time-bounded rows every report reads: pipeline versions, deal intervals,
/// stage residencies, per-stage first entries and advances, and the current deal. It folds deals with the
/// domain's own <see cref="Deal.Evolve"/> and depends only on the events in sequence order, so a rebuild
/// writes the same rows.
/// </summary>
public sealed class TimelineProjection : EventProjection
{
    public const string ProjectionName = "FunnelTimeline";

    private readonly TimelineTableSet tables;
    private readonly string upsertPipeline;
    private readonly string upsertInterval;
    private readonly string upsertResidency;
    private readonly string upsertFact;
    private readonly string upsertCurrent;
    private readonly string upsertState;
    private readonly string addStageCount;
    private readonly string addDealCount;
    private readonly string exitResidency;
    private readonly string moveDwell;
    private readonly TimelineCache cache;

    /// <param name="tables">Where to write: the live tables, or (to verify them) a copy in another schema.</param>
    /// <param name="name">The projection's name, which keys its progress in the daemon.</param>
    public TimelineProjection(TimelineTableSet? tables = null, string name = ProjectionName)
    {
        this.tables = tables ?? TimelineTables.Live;
        (upsertPipeline, upsertInterval, upsertResidency) = (TimelineRows.Upsert(this.tables.PipelineVersions), TimelineRows.Upsert(this.tables.DealIntervals), TimelineRows.Upsert(this.tables.StageResidencies));
        (upsertFact, upsertCurrent, upsertState) = (TimelineRows.Upsert(this.tables.DealStageFacts), TimelineRows.Upsert(this.tables.DealCurrent), TimelineRows.Upsert(this.tables.DealStates));
        (addStageCount, addDealCount) = (TimelineCounts.Add(this.tables.StageCounts), TimelineCounts.Add(this.tables.DealCounts));
        (exitResidency, moveDwell) = (TimelineCounts.ExitResidency(this.tables), TimelineCounts.MoveDwell(this.tables));
        cache = new TimelineCache(this.tables);
        Name = name;
        foreach (var type in DealEvents.All.Concat(PipelineEvents.All))
        {
            IncludeType(type);
        }

        foreach (var table in this.tables.All)
        {
            SchemaObjects.Add(table);
            Options.DeleteDataInTableOnTeardown(table.Identifier.QualifiedName);
        }
    }

    public override Task EnrichEventsAsync(IQuerySession querySession, IReadOnlyList<IEvent> events, CancellationToken cancellation) =>
        cache.PrepareAsync(querySession, events, cancellation);

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
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
        }

        return ValueTask.CompletedTask;
    }

    private void ApplyPipeline(IDocumentOperations operations, IEvent e, string pipelineId, string name, IReadOnlyList<StageDefinition> stages, DateTimeOffset at)
    {
        if (cache.Pipelines.TryGetValue(pipelineId, out var previous))
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, 
                $"update {tables.PipelineVersions.Identifier.QualifiedName} set valid_to = ^::timestamptz where pipeline_id = ^ and version = ^",
                TimelineRows.Instant(at), pipelineId, previous.Version);
        }

        var row = new PipelineVersionRow(pipelineId, (int)e.Version, name, [.. stages], at, null, e.Sequence, e.Timestamp);
        cache.Pipelines[pipelineId] = row;
        operations.QueueSqlCommand(TimelineRows.Placeholder, upsertPipeline, TimelineRows.Serialize(row));
    }

    private void ApplyDeal(IDocumentOperations operations, IEvent e, IDealEvent dealEvent)
    {
        var at = dealEvent.OccurredAt;
        var state = cache.Deals.GetValueOrDefault(dealEvent.DealId) ?? new DealTimelineState();
        var wasOpenIn = state.Deal.Version > 0 && state.Deal.Status == DealStatus.Open ? state.Deal.Stage : null;
        var attributesBefore = state.Deal.Version > 0 ? DealAttributes.Of(state) : null;
        if (!cache.Pending.TryGetValue(dealEvent.DealId, out var pending))
        {
            pending = cache.Pending[dealEvent.DealId] = new PendingDeal(TimelineCounts.Of(state), TimelineCounts.DealOf(state));
        }

        var statusBefore = state.Deal.Version > 0 ? state.Deal.Status : (DealStatus?)null;
        if (pending.OpenInterval is { } open)
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, upsertInterval, TimelineRows.Serialize(open.ClosedBy(at, e)));
        }
        else if (state.Deal.Version > 0)
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, 
                $"update {tables.DealIntervals.Identifier.QualifiedName} set valid_to = ^::timestamptz, period = tstzrange(valid_from, ^::timestamptz, '[)'), closed_seq = ^, closed_recorded_at = ^ where deal_id = ^ and version = ^",
                TimelineRows.Instant(at), TimelineRows.Instant(at), e.Sequence, e.Timestamp, dealEvent.DealId, state.Deal.Version);
        }

        var deal = Deal.Evolve(state.Deal.Version > 0 ? state.Deal : null, e.Data);
        deal.Version = (int)e.Version;
        state.Deal = deal;
        if (statusBefore != deal.Status)
        {
            state.StatusChangedAt = at;
        }

        cache.Deals[deal.Id] = state;
        var attributes = DealAttributes.Of(state);
        var nowOpenIn = deal.Status == DealStatus.Open ? deal.Stage : null;

        if (wasOpenIn is not null && wasOpenIn != nowOpenIn)
        {
            var exitKind = e.Data switch
            {
                DealStageChanged { Regression: true } => "regressed",
                DealStageChanged => "advanced",
                DealWon => "won",
                _ => "lost",
            };
            operations.QueueSqlCommand(TimelineRows.Placeholder, exitResidency, TimelineRows.Instant(at), exitKind, nowOpenIn ?? exitKind, e.Sequence, TimelineRows.Instant(at), deal.Id, state.Residencies);
        }

        if (nowOpenIn is not null && nowOpenIn != wasOpenIn)
        {
            state.Residencies++;
            operations.QueueSqlCommand(TimelineRows.Placeholder, upsertResidency, TimelineRows.Serialize(
                new ResidencyRow(deal.Id, state.Residencies, deal.PipelineId, nowOpenIn, at, e.Sequence, attributes)));
            RecordEntry(operations, state, nowOpenIn, at, attributes);
        }

        if (e.Data is DealWon)
        {
            Advance(operations, state, at, attributes, _ => true);
        }

        if (attributesBefore is not null && (attributesBefore.Owner, attributesBefore.Team, attributesBefore.Region, attributesBefore.Product) != (attributes.Owner, attributes.Team, attributes.Region, attributes.Product))
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, moveDwell, attributesBefore.Owner, attributesBefore.Team ?? "", attributesBefore.Region ?? "", attributesBefore.Product ?? "",
                attributes.Owner, attributes.Team ?? "", attributes.Region ?? "", attributes.Product ?? "", deal.Id);
        }

        if (attributesBefore is not null && attributesBefore != attributes)
        {
            foreach (var table in new[] { tables.StageResidencies, tables.DealStageFacts })
            {
                var name = table.Identifier.QualifiedName;
                operations.QueueSqlCommand(
                    TimelineRows.Placeholder,
                    $"update {name} t set (status, status_changed_at, owner, team, region, product) = (a.status, a.status_changed_at, a.owner, a.team, a.region, a.product) " +
                    $"from jsonb_populate_record(null::{name}, ^::jsonb) a where t.deal_id = ^",
                    TimelineRows.Serialize(attributes), deal.Id);
            }
        }

        pending.OpenInterval = IntervalRow.From(deal, at, e);
        if (cache.IsLastInBatch(deal.Id, e.Sequence))
        {
            // The rows that hold only the latest state: written once for all the deal's events in this batch.
            UpdateCounts(operations, state, pending.CountsBefore, pending.DealCountBefore);
            operations.QueueSqlCommand(TimelineRows.Placeholder, upsertInterval, TimelineRows.Serialize(pending.OpenInterval));
            operations.QueueSqlCommand(TimelineRows.Placeholder, upsertCurrent, TimelineRows.Serialize(CurrentRow.From(state, e.Sequence)));
            operations.QueueSqlCommand(TimelineRows.Placeholder, upsertState, TimelineRows.Serialize(new StateRow(deal.Id, state)));
            cache.Pending.Remove(deal.Id);
        }
    }

    private void UpdateCounts(IDocumentOperations operations, DealTimelineState state, IReadOnlyList<StageCount> before, DealCount? dealBefore)
    {
        foreach (var change in TimelineCounts.Changes(before, TimelineCounts.Of(state)))
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, addStageCount, TimelineRows.Serialize(change));
        }

        var dealAfter = TimelineCounts.DealOf(state)!;
        if (dealBefore != dealAfter)
        {
            if (dealBefore is not null)
            {
                operations.QueueSqlCommand(TimelineRows.Placeholder, addDealCount, TimelineRows.Serialize(dealBefore with { N = -1, Amount = -dealBefore.Amount }));
            }

            operations.QueueSqlCommand(TimelineRows.Placeholder, addDealCount, TimelineRows.Serialize(dealAfter));
        }
    }

    /// <summary>A first entry into a stage starts its fact; entering any stage advances every earlier stage not yet advanced.</summary>
    private void RecordEntry(IDocumentOperations operations, DealTimelineState state, string stage, DateTimeOffset at, DealAttributes attributes)
    {
        var order = cache.Pipelines.TryGetValue(state.Deal.PipelineId, out var pipeline) ? pipeline.Stages.Select(s => s.Id).ToList() : [];
        var entered = order.IndexOf(stage);
        Advance(operations, state, at, attributes, s => order.IndexOf(s) is var i && i >= 0 && i < entered);
        if (state.Facts.TryAdd(stage, new StageFact { FirstEnteredAt = at }))
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, upsertFact, TimelineRows.Serialize(new FactRow(state.Deal.Id, stage, state.Deal.PipelineId, state.Facts[stage], attributes)));
        }
    }

    private void Advance(IDocumentOperations operations, DealTimelineState state, DateTimeOffset at, DealAttributes attributes, Func<string, bool> earlier)
    {
        foreach (var (stage, fact) in state.Facts.Where(f => f.Value.AdvancedAt is null && earlier(f.Key)))
        {
            fact.AdvancedAt = at;
            operations.QueueSqlCommand(TimelineRows.Placeholder, upsertFact, TimelineRows.Serialize(new FactRow(state.Deal.Id, stage, state.Deal.PipelineId, fact, attributes)));
        }
    }
}
