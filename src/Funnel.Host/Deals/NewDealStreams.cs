using Funnel.Domain.Deals;
using Funnel.Projections;
using JasperFx.Events;
using Weasel.Core;

namespace Funnel.Host.Deals;

/// <summary>
/// Writes many new deals at once by COPY (Marten's bulk insert): their events, then their documents, folded here as the
/// inline projection would have. For the import and the demo, where a deal's whole history arrives at once. A stop
/// between the two leaves streams without documents: <see cref="CompleteAsync"/> finds and finishes those.
/// </summary>
public static class NewDealStreams
{
    /// <param name="recordedAt">When each deal's events were recorded (the demo's history); by default, now.</param>
    public static async Task WriteAsync(
        IDocumentStore store, string tenant, IReadOnlyList<(string DealId, IReadOnlyList<object> Events)> deals, string? actor, CancellationToken ct,
        Func<string, IReadOnlyList<object>, DateTimeOffset[]>? recordedAt = null)
    {
        if (deals.Count == 0)
        {
            return;
        }

        var streams = deals.Select(d => StreamAction.Start((IEventRegistry)store.Options.Events, d.DealId, [.. d.Events])).ToList();
        if (recordedAt is not null)
        {
            foreach (var (stream, deal) in streams.Zip(deals))
            {
                foreach (var (e, at) in stream.Events.Zip(recordedAt(deal.DealId, deal.Events)))
                {
                    e.Timestamp = at;
                }
            }
        }

        if (actor is not null)
        {
            foreach (var e in streams.SelectMany(s => s.Events))
            {
                e.SetHeader(CommandCaller.ActorEventHeader, actor);
            }
        }

        await store.BulkInsertEventsAsync(TenantStorage.MartenId(tenant), streams, cancellation: ct);
        await store.BulkInsertDocumentsAsync(TenantStorage.MartenId(tenant), deals.Select(d => Deal.Fold(d.Events)!), BulkInsertMode.InsertsOnly, cancellation: ct);
    }

    /// <summary>
    /// The deals of <paramref name="ids"/> as stored, in the session's tenant. One whose stream exists without its document
    /// is folded from its stream, and its document stored with the session.
    /// </summary>
    public static async Task<Dictionary<string, Deal>> CompleteAsync(IDocumentSession session, string[] ids, CancellationToken ct)
    {
        var existing = (await session.LoadManyAsync<Deal>(ct, ids)).ToDictionary(d => d.Id);
        var orphans = await session.AdvancedSql.QueryAsync<string>(
            $"select id from {StoreTables.Streams} where tenant_id = ? and id = any(?)", ct, session.TenantId, ids.Where(id => !existing.ContainsKey(id)).ToArray());
        foreach (var id in orphans)
        {
            var folded = (await session.Events.AggregateStreamAsync<Deal>(id, token: ct))!;
            session.Store(folded);
            existing[id] = folded.Copy();
        }

        return existing;
    }
}
