using Funnel.Projections;

namespace Funnel.Projections.Reports;

/// <summary>
/// How fresh a report is: the highest event sequence its read models include, and how far they lag the store, counted
/// in the caller's tenant's events only (another tenant's traffic is neither shown nor counted). Read in constant time
/// by <see cref="TenantEventsIndex"/>, however long the history or the lag: the lag in events is counted up to a bound.
/// </summary>
public sealed record Freshness(long HighestSequence, long StoreSequence, long LagEvents, double LagSeconds)
{
    /// <summary>How many lagging events a report's freshness counts at most: past it, it says at least this many.</summary>
    public const long CountedLag = 1_000;

    /// <summary>
    /// Marten fills a sequence number taken by a failed transaction with a tombstone (recorded at -infinity), and after
    /// PostgreSQL's crash recovery the daemon may have passed sequence numbers no event will ever hold. So the read
    /// models include at most what is stored, and the lag in time is measured between real events only.
    /// </summary>
    private const string Sql = $"""
        with p as (select coalesce((select last_seq_id from {StoreTables.EventProgression} where name = @shard), 0) as seq),
             s as (select coalesce(max(seq_id), 0) as seq from {StoreTables.Events} where tenant_id = @tenant)
        select least(p.seq, s.seq) as highest, s.seq as store,
               (select count(*) from (select 1 from {StoreTables.Events} where tenant_id = @tenant and seq_id > p.seq limit @counted) lagging) as lag_events,
               case when s.seq <= p.seq then 0 else coalesce(extract(epoch from
                   (select timestamp from {StoreTables.Events} where tenant_id = @tenant and seq_id > p.seq and isfinite(timestamp) order by seq_id desc limit 1)
                 - (select timestamp from {StoreTables.Events} where tenant_id = @tenant and seq_id <= p.seq and isfinite(timestamp) order by seq_id desc limit 1)), 0) end::float8 as lag_seconds
        from p, s
        """;

    /// <param name="counted">How many lagging events to count at most (<see cref="CountedLag"/> unless a limit needs more).</param>
    public static async Task<Freshness> ReadAsync(ReportDatabase db, CancellationToken ct, long counted = CountedLag) =>
        (await db.QueryAsync(Sql, c =>
        {
            ReportDatabase.Add(c, "shard", TenantStorage.ShardName(db.Tenant));
            ReportDatabase.Add(c, "tenant", TenantStorage.MartenId(db.Tenant));
            ReportDatabase.Add(c, "counted", counted);
        }, r => new Freshness(ReportDatabase.Column<long>(r, "highest"), ReportDatabase.Column<long>(r, "store"), ReportDatabase.Column<long>(r, "lag_events"),
            Math.Round(Math.Max(0, ReportDatabase.Column<double>(r, "lag_seconds")), 3)), ct)).Single();
}
