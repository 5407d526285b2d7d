using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>A deal's contribution to the counters; the projection adds the new one and takes back the old one when they differ.</summary>
public sealed record StageCount(string PipelineId, string Stage, bool Advanced, string Status, string Owner, string Team, string Region, string Product, long N);

public sealed record DealCount(string PipelineId, string LossReason, string Status, string Owner, string Team, string Region, string Product, long N, decimal Amount);

public static class TimelineCounts
{
    /// <summary>Adds a jsonb array of counter rows (distinct keys) to the counters.</summary>
    public static string AddMany(Table table)
    {
        var name = table.Identifier.QualifiedName;
        var sums = table.Columns.Where(c => !table.PrimaryKeyColumns.Contains(c.Name)).Select(c => $"{c.Name} = {name}.{c.Name} + excluded.{c.Name}");
        return $"insert into {name} select * from jsonb_populate_recordset(null::{name}, ^::jsonb) " +
            $"on conflict ({string.Join(", ", table.PrimaryKeyColumns)}) do update set {string.Join(", ", sums)}";
    }

    /// <summary>
    /// Writes a jsonb array of residencies (their days worked out here, as the exit statement does) and counts those
    /// already ended in their day buckets.
    /// </summary>
    public static string UpsertResidencies(TimelineTableSet tables)
    {
        var (table, buckets) = (tables.StageResidencies, tables.DwellCounts.Identifier.QualifiedName);
        var name = table.Identifier.QualifiedName;
        var columns = table.Columns.Select(c => c.Name).ToList();
        var values = columns.Select(c => c == "days" ? "extract(epoch from (x.exited_at - x.entered_at)) / 86400" : $"x.{c}");
        var others = columns.Where(c => !table.PrimaryKeyColumns.Contains(c)).Select(c => $"{c} = excluded.{c}");
        return $"""
            with r as (
                insert into {name} ({string.Join(", ", columns)}) select {string.Join(", ", values)} from jsonb_populate_recordset(null::{name}, ^::jsonb) x
                on conflict ({string.Join(", ", table.PrimaryKeyColumns)}) do update set {string.Join(", ", others)}
                returning pipeline_id, stage, days, owner, team, region, product)
            insert into {buckets} (pipeline_id, stage, day, owner, team, region, product, n, sum_days)
            select pipeline_id, stage, floor(days)::integer, owner, coalesce(team, ''), coalesce(region, ''), coalesce(product, ''), count(*), sum(days)
            from r where days is not null group by 1, 2, 3, 4, 5, 6, 7
            {AddToBucket(buckets)}
            """;
    }

    /// <summary>Ends a residency (exit time, kind, next stage, sequence; exit time again; deal, n) and counts its dwell in its day bucket, in one statement.</summary>
    public static string ExitResidency(TimelineTableSet tables)
    {
        var (residencies, buckets) = (tables.StageResidencies.Identifier.QualifiedName, tables.DwellCounts.Identifier.QualifiedName);
        return $"""
            with r as (
                update {residencies} set exited_at = ^::timestamptz, exit_kind = ^, next_stage = ^, exited_seq = ^, days = extract(epoch from (^::timestamptz - entered_at)) / 86400
                where deal_id = ^ and n = ^ returning pipeline_id, stage, days, owner, team, region, product)
            insert into {buckets} (pipeline_id, stage, day, owner, team, region, product, n, sum_days)
            select pipeline_id, stage, floor(days)::integer, owner, coalesce(team, ''), coalesce(region, ''), coalesce(product, ''), 1, days from r
            {AddToBucket(buckets)}
            """;
    }

    /// <summary>
    /// Moves a deal's completed residencies from the buckets of its old filter attributes to those of its new ones (old
    /// owner, team, region, product; new ones; deal), as reports filter by a deal's current attributes.
    /// </summary>
    public static string MoveDwell(TimelineTableSet tables)
    {
        var (residencies, buckets) = (tables.StageResidencies.Identifier.QualifiedName, tables.DwellCounts.Identifier.QualifiedName);
        return $"""
            insert into {buckets} (pipeline_id, stage, day, owner, team, region, product, n, sum_days)
            select r.pipeline_id, r.stage, floor(r.days)::integer, k.owner, k.team, k.region, k.product, sum(k.sign), sum(k.sign * r.days)
            from {residencies} r cross join (values (^, ^, ^, ^, -1), (^, ^, ^, ^, 1)) as k(owner, team, region, product, sign)
            where r.deal_id = ^ and r.days is not null
            group by 1, 2, 3, 4, 5, 6, 7
            {AddToBucket(buckets)}
            """;
    }

    private static string AddToBucket(string buckets) =>
        $"on conflict (pipeline_id, stage, day, owner, team, region, product) do update set n = {buckets}.n + excluded.n, sum_days = {buckets}.sum_days + excluded.sum_days";

    public static IReadOnlyList<StageCount> Of(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        return state.Facts
            .Select(f => new StageCount(state.Deal.PipelineId, f.Key, f.Value.AdvancedAt is not null, a.Status, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", 1))
            .ToList();
    }

    public static DealCount? DealOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return null;
        }

        var a = DealAttributes.Of(state);
        return new DealCount(state.Deal.PipelineId, state.Deal.LossReason ?? "", a.Status, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", 1, state.Deal.Amount);
    }

    /// <summary>What to add to the deal counters to go from one contribution to the other: nothing when they are the same.</summary>
    public static IEnumerable<DealCount> Changes(DealCount? before, DealCount? after) =>
        before == after ? [] : new[] { before is null ? null : before with { N = -before.N, Amount = -before.Amount }, after }.OfType<DealCount>();

    /// <summary>Changes summed per key, zeros left out: one row per counter a batch touches.</summary>
    public static IEnumerable<StageCount> Net(IEnumerable<StageCount> changes) =>
        changes.GroupBy(c => c with { N = 0 }).Select(g => g.Key with { N = g.Sum(c => c.N) }).Where(c => c.N != 0)
            .OrderBy(c => (c.PipelineId, c.Stage, c.Advanced, c.Status, c.Owner, c.Team, c.Region, c.Product));

    public static IEnumerable<DealCount> Net(IEnumerable<DealCount> changes) =>
        changes.GroupBy(c => c with { N = 0, Amount = 0 }).Select(g => g.Key with { N = g.Sum(c => c.N), Amount = g.Sum(c => c.Amount) })
            .Where(c => c.N != 0 || c.Amount != 0).OrderBy(c => (c.PipelineId, c.LossReason, c.Status, c.Owner, c.Team, c.Region, c.Product));

    /// <summary>What to add to the counters to go from one contribution to the other: nothing when they are the same.</summary>
    public static IEnumerable<StageCount> Changes(IReadOnlyList<StageCount> before, IReadOnlyList<StageCount> after) =>
        before.Except(after).Select(c => c with { N = -1 }).Concat(after.Except(before));
}
