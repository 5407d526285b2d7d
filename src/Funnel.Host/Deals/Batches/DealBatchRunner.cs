using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using Funnel.Host.Tenancy;
using Funnel.Projections;
using JasperFx;
using Marten.Exceptions;

namespace Funnel.Host.Deals.Batches;

/// <summary>
/// Runs a batch in one transaction: locks the rows of the deals it names (single commands on them queue behind it),
/// loads those deals and their pipelines in two queries, lets the domain decide every command (<see cref="DealBatch"/>),
/// appends each deal's events and records the answer under the Idempotency-Key. A capture racing one of its new deal ids
/// makes the transaction fail; the batch is then decided again against the store as it now is.
/// </summary>
public sealed class DealBatchRunner(IDocumentStore store, TimeProvider clock)
{
    public const int MaxAttempts = 5;

    public async Task<BatchAnswer> RunAsync(IReadOnlyList<BatchItem> items, string tenant, CommandCaller caller, CancellationToken ct)
    {
        // A capture without a dealId gets one now, so a retry of the whole batch names the same deals.
        items = [.. items.Select(i => i.Command is CaptureDeal { DealId: null } capture
            ? i with { Command = capture with { DealId = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N") } }
            : i)];
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.SessionOf(tenant);
            if (caller.IdempotencyKey is { } key && await session.LoadAsync<BatchReply>(key, ct) is { } prior)
            {
                return prior.Answer;
            }

            try
            {
                return await TryAsync(session, items, caller, ct);
            }
            catch (Exception e) when (attempt < MaxAttempts && e is ConcurrencyException or JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException or DocumentAlreadyExistsException)
            {
                // A lost race (a capture of the same new id, or a retry under the same key): decide again against the store as it now is.
            }
        }
    }

    private async Task<BatchAnswer> TryAsync(IDocumentSession session, IReadOnlyList<BatchItem> items, CommandCaller caller, CancellationToken ct)
    {
        var commands = items.Where(i => i.Command is not null).Select(i => i.Command!).ToList();
        var dealIds = commands.Select(DealBatch.DealIdOf).Distinct(StringComparer.Ordinal).ToArray();
        await session.BeginTransactionAsync(ct);
        await DealLocks.LockAsync(session, dealIds, ct);
        var deals = (await session.LoadManyAsync<Deal>(ct, dealIds)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var pipelineIds = deals.Values.Select(d => d.PipelineId).Concat(commands.OfType<CaptureDeal>().Select(c => c.PipelineId).OfType<string>()).Distinct().ToArray();
        var pipelines = (await session.LoadManyAsync<Pipeline>(ct, pipelineIds)).ToDictionary(p => p.Id, StringComparer.Ordinal);

        var (decided, appends) = DealBatch.Decide(commands, deals, pipelines, clock.GetUtcNow());
        foreach (var append in appends)
        {
            if (append.VersionBefore == 0)
            {
                session.Events.StartStream<Deal>(append.DealId, append.Events);
            }
            else
            {
                session.Events.Append(append.DealId, append.VersionBefore + append.Events.Count, [.. append.Events]);
            }
        }

        var answer = BatchAnswer.Of(items, decided);
        if (caller.IdempotencyKey is { } key)
        {
            session.Insert(new BatchReply { Id = key, Answer = answer });
        }

        caller.Stamp(session);
        await session.SaveChangesAsync(ct);
        return answer;
    }
}
