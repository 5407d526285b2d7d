using Marten;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Adds a batch's net open stay counts (<see cref="OpenStayCount"/>) to the day each stay was entered.</summary>
    public string AddOpenStayCounts { get; } = AddDated(tables.OpenStayCounts, calendar.DayOf);

    // Ends a residency and counts its dwell in its day bucket.
    private readonly string exitResidency = $"""
        with r as (
            update {tables.StageResidencies.Identifier.QualifiedName}
            set exited_at = ^::timestamptz, exit_kind = ^, next_stage = ^, exited_seq = ^, days = extract(epoch from (^::timestamptz - entered_at)) / 86400
            where deal_id = ^ and n = ^ returning pipeline_id, stage, days, owner, team, region, product)
        {CountDwell(tables.DwellCounts.Identifier.QualifiedName)}
        """;

    // Moves a deal's ended stays from the buckets of its old filter attributes to its new ones: reports filter by a deal's current attributes.
    private readonly string moveDwell = $"""
        insert into {tables.DwellCounts.Identifier.QualifiedName} (pipeline_id, stage, day, owner, team, region, product, n, sum_days)
        select r.pipeline_id, r.stage, floor(r.days)::integer, k.owner, k.team, k.region, k.product, sum(k.sign), sum(k.sign * r.days)
        from {tables.StageResidencies.Identifier.QualifiedName} r cross join (values (^, ^, ^, ^, -1), (^, ^, ^, ^, 1)) as k(owner, team, region, product, sign)
        where r.deal_id = ^ and r.days is not null
        group by 1, 2, 3, 4, 5, 6, 7
        {AddToBucket(tables.DwellCounts.Identifier.QualifiedName)}
        """;

    /// <summary>Writes the residencies a batch began or ended, and counts the ended ones' dwell.</summary>
    public string UpsertResidencies { get; } = UpsertResidenciesMany(tables.StageResidencies, tables.DwellCounts.Identifier.QualifiedName);

    /// <summary>Ends a residency written by an earlier batch and counts its dwell.</summary>
    public void ExitResidency(IDocumentOperations operations, string dealId, int n, DateTimeOffset exitedAt, string exitKind, string nextStage, long exitedSeq) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, exitResidency, TimelineRows.Instant(exitedAt), exitKind, nextStage, exitedSeq, TimelineRows.Instant(exitedAt), dealId, n);

    /// <summary>Moves the deal's counted dwell from its old filter attributes' buckets to its new ones ('' for none).</summary>
    public void MoveDwell(IDocumentOperations operations, string dealId, DealAttributes before, DealAttributes after) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, moveDwell, before.Owner, before.Team ?? "", before.Region ?? "", before.Product ?? "",
            after.Owner, after.Team ?? "", after.Region ?? "", after.Product ?? "", dealId);

    /// <summary>Writes residencies (their days worked out as the exit statement does) and counts the ended ones in their day buckets.</summary>
    private static string UpsertResidenciesMany(Table table, string buckets)
    {
        var name = table.Identifier.QualifiedName;
        var columns = table.Columns.Select(c => c.Name).ToList();
        var values = columns.Select(c => c == "days" ? "extract(epoch from (x.exited_at - x.entered_at)) / 86400" : $"x.{c}");
        var others = columns.Where(c => !table.PrimaryKeyColumns.Contains(c)).Select(c => $"{c} = excluded.{c}");
        return $"""
            with r as (
                insert into {name} ({string.Join(", ", columns)}) select {string.Join(", ", values)} from jsonb_populate_recordset(null::{name}, ^::jsonb) x
                on conflict ({string.Join(", ", table.PrimaryKeyColumns)}) do update set {string.Join(", ", others)}
                returning pipeline_id, stage, days, owner, team, region, product)
            {CountDwell(buckets)}
            """;
    }

    /// <summary>Counts the ended stays among the rows <c>r</c> (pipeline, stage, days and filter attributes) in their day buckets.</summary>
    private static string CountDwell(string buckets) => $"""
        insert into {buckets} (pipeline_id, stage, day, owner, team, region, product, n, sum_days)
        select pipeline_id, stage, floor(days)::integer, owner, coalesce(team, ''), coalesce(region, ''), coalesce(product, ''), count(*), sum(days)
        from r where days is not null group by 1, 2, 3, 4, 5, 6, 7
        {AddToBucket(buckets)}
        """;

    private static string AddToBucket(string buckets) =>
        $"on conflict (pipeline_id, stage, day, owner, team, region, product) do update set n = {buckets}.n + excluded.n, sum_days = {buckets}.sum_days + excluded.sum_days";
}
