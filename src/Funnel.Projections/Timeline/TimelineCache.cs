using System.Text.Json;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The projection's running state. The projection is the only writer of its tables, so what it holds in memory is
/// authoritative; deals it has not seen yet in this process are loaded once per batch, in one query.
/// </summary>
internal sealed class TimelineCache(TimelineTableSet tables)
{
    private long lastSequence;
    private bool pipelinesLoaded;

    public Dictionary<string, DealTimelineState> Deals { get; } = [];

    public Dictionary<string, PipelineVersionRow> Pipelines { get; } = [];

    /// <summary>Deals seen in the current batch, with what is written once, at their last event in it.</summary>
    public Dictionary<string, PendingDeal> Pending { get; } = [];

    private Dictionary<string, long> lastInBatch = [];

    /// <summary>Whether this is the deal's last event in the batch (or the batch was not announced, so every event is).</summary>
    public bool IsLastInBatch(string dealId, long sequence) => !lastInBatch.TryGetValue(dealId, out var last) || last == sequence;

    public async Task PrepareAsync(IQuerySession session, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        // Going back in the sequence means a rebuild: the tables were torn down, so is what we remember.
        if (events[0].Sequence <= lastSequence)
        {
            Deals.Clear();
            Pipelines.Clear();
            pipelinesLoaded = false;
        }

        lastSequence = events[^1].Sequence;
        Pending.Clear();
        lastInBatch = events.Where(e => e.Data is Domain.Deals.IDealEvent).GroupBy(e => ((Domain.Deals.IDealEvent)e.Data).DealId).ToDictionary(g => g.Key, g => g.Max(e => e.Sequence));
        if (!pipelinesLoaded)
        {
            var rows = await session.AdvancedSql.QueryAsync<string>(
                $"select row_to_json(p)::text from {tables.PipelineVersions.Identifier.QualifiedName} p where valid_to is null", ct);
            foreach (var row in rows.Select(r => JsonSerializer.Deserialize<PipelineVersionRow>(r, TimelineRows.Json)!))
            {
                Pipelines[row.PipelineId] = row;
            }

            pipelinesLoaded = true;
        }

        var missing = events.Select(e => e.Data).OfType<Domain.Deals.IDealEvent>().Select(e => e.DealId).Distinct().Where(id => !Deals.ContainsKey(id)).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        var states = await session.AdvancedSql.QueryAsync<string>(
            $"select state::text from {tables.DealStates.Identifier.QualifiedName} where deal_id = any(?)", ct, (object)missing);
        foreach (var state in states.Select(s => JsonSerializer.Deserialize<DealTimelineState>(s, TimelineRows.Json)!))
        {
            Deals[state.Deal.Id] = state;
        }
    }
}

/// <summary>
/// A deal within one batch: its counter contributions when the batch began, and its newest interval while still open.
/// Imports append a deal's events together, so most of its rows are written once a batch instead of once an event.
/// </summary>
internal sealed class PendingDeal(IReadOnlyList<StageCount> countsBefore, DealCount? dealCountBefore)
{
    public IReadOnlyList<StageCount> CountsBefore { get; } = countsBefore;

    public DealCount? DealCountBefore { get; } = dealCountBefore;

    public IntervalRow? OpenInterval { get; set; }
}
