using Funnel.Domain.Deals;
using Funnel.Host.Deals;
using JasperFx;

namespace Funnel.Host.Reps;

/// <summary>
/// A handover in one transaction: the rep's open deals (or the listed ones) are locked, loaded as they stand, decided
/// by <see cref="HandOverDeals"/>, and every owner change is appended, or none.
/// </summary>
public sealed class HandoverRunner(IDocumentSession session, TimeProvider clock, CommandCaller caller)
{
    public async Task<(HandoverAnswer? Answer, Rejection? Rejection)> RunAsync(HandOverDeals command, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var ids = command.DealIds?.Distinct(StringComparer.Ordinal).ToArray() ?? await OpenDealsOfAsync(command.Rep, ct);
        await DealLocks.LockAsync(session, ids, ct);

        // Loaded again under the lock: a deal that changed hands or closed meanwhile is seen as it now is.
        var loaded = await session.LoadManyAsync<Deal>(ct, ids);
        var deals = loaded.Where(d => command.DealIds is not null || (d.Owner == command.Rep && d.Status == DealStatus.Open)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var (moves, rejection) = command.Decide(deals, clock.GetUtcNow());
        if (rejection is not null)
        {
            return (null, rejection);
        }

        foreach (var move in moves)
        {
            session.Events.Append(move.DealId, move.VersionBefore + 1, move.Event);
        }

        caller.Stamp(session);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            return (null, DealRules.VersionConflict(null));
        }

        return (new HandoverAnswer(command.To!.Trim(), command.Reason!.Trim(), [.. moves.Select(m => new HandedOverDeal(m.DealId, m.VersionBefore + 1))]), null);
    }

    /// <summary>The rep's open deals as the store holds them now (every pipeline).</summary>
    private async Task<string[]> OpenDealsOfAsync(string rep, CancellationToken ct) =>
        [.. await session.Query<Deal>().Where(d => d.Owner == rep && d.Status == DealStatus.Open).Select(d => d.Id).ToListAsync(ct)];
}
