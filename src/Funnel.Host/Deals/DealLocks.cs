using Funnel.Projections;

namespace Funnel.Host.Deals;

/// <summary>
/// Locks the stream rows of the deals a multi-deal command touches, in id order (two such commands never deadlock):
/// single commands on those deals queue behind it until it commits.
/// </summary>
public static class DealLocks
{
    private static readonly string LockStreams = $"select id from {StoreTables.Streams} where tenant_id = ? and id = any(?) order by id for update";

    public static Task LockAsync(IDocumentSession session, string[] dealIds, CancellationToken ct) =>
        session.AdvancedSql.QueryAsync<string>(LockStreams, ct, session.TenantId, dealIds);
}
