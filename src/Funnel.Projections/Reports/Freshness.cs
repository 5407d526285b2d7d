using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>How fresh a report is: the highest event sequence its read models include, and how far they lag the store.</summary>
public sealed record Freshness(long HighestSequence, long StoreSequence, long LagEvents, double LagSeconds)
{
    private const string Sql = $"""
        with p as (select coalesce((select last_seq_id from {TimelineTables.Schema}.mt_event_progression where name = '{TimelineProjection.ProjectionName}:All'), 0) as seq),
             s as (select coalesce(max(seq_id), 0) as seq from {TimelineTables.Schema}.mt_events)
        select p.seq, s.seq,
               coalesce(extract(epoch from (select timestamp from {TimelineTables.Schema}.mt_events where seq_id = s.seq)
                      - (select timestamp from {TimelineTables.Schema}.mt_events where seq_id = p.seq)), 0)::float8
        from p, s
        """;

    public static async Task<Freshness> ReadAsync(ReportDatabase db, CancellationToken ct) =>
        (await db.QueryAsync(Sql, _ => { }, r => new Freshness(r.GetInt64(0), r.GetInt64(1), r.GetInt64(1) - r.GetInt64(0), Math.Round(Math.Max(0, r.GetDouble(2)), 3)), ct)).Single();
}
