using Marten;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The statements the timeline projection writes with, for one table set (live, or the copy verify rebuilds), each
/// queued by a method whose arguments name the statement's parameters in order (Marten's <c>^</c> placeholders are
/// positional). The batch statements take a jsonb array: one statement for what a whole batch created.
/// </summary>
internal sealed class TimelineStatements
{
    private readonly string upsertPipeline;
    private readonly string closePipeline;
    private readonly string closeInterval;
    private readonly string exitResidency;
    private readonly string moveDwell;
    private readonly IReadOnlyList<string> copyAttributes;

    public TimelineStatements(TimelineTableSet tables)
    {
        var (intervals, residencies, buckets) = (tables.DealIntervals.Identifier.QualifiedName, tables.StageResidencies.Identifier.QualifiedName, tables.DwellCounts.Identifier.QualifiedName);
        upsertPipeline = TimelineRows.Upsert(tables.PipelineVersions);
        closePipeline = $"update {tables.PipelineVersions.Identifier.QualifiedName} set valid_to = ^::timestamptz where pipeline_id = ^ and version = ^";
        closeInterval = $"update {intervals} set valid_to = ^::timestamptz, period = tstzrange(valid_from, ^::timestamptz, '[)'), closed_seq = ^, closed_recorded_at = ^ where deal_id = ^ and version = ^";

        // Ends a residency and counts its dwell in its day bucket.
        exitResidency = $"""
            with r as (
                update {residencies} set exited_at = ^::timestamptz, exit_kind = ^, next_stage = ^, exited_seq = ^, days = extract(epoch from (^::timestamptz - entered_at)) / 86400
                where deal_id = ^ and n = ^ returning pipeline_id, stage, days, owner, team, region, product)
            {CountDwell(buckets)}
            """;

        // Moves a deal's ended stays from the buckets of its old filter attributes to its new ones: reports filter by a deal's current attributes.
        moveDwell = $"""
            insert into {buckets} (pipeline_id, stage, day, owner, team, region, product, n, sum_days)
            select r.pipeline_id, r.stage, floor(r.days)::integer, k.owner, k.team, k.region, k.product, sum(k.sign), sum(k.sign * r.days)
            from {residencies} r cross join (values (^, ^, ^, ^, -1), (^, ^, ^, ^, 1)) as k(owner, team, region, product, sign)
            where r.deal_id = ^ and r.days is not null
            group by 1, 2, 3, 4, 5, 6, 7
            {AddToBucket(buckets)}
            """;

        copyAttributes = [.. new[] { tables.StageResidencies, tables.DealStageFacts }.Select(t => t.Identifier.QualifiedName).Select(name =>
            $"update {name} t set (status, status_changed_at, owner, team, region, product) = (a.status, a.status_changed_at, a.owner, a.team, a.region, a.product) " +
            $"from jsonb_populate_record(null::{name}, ^::jsonb) a where t.deal_id = ^")];

        UpsertIntervals = TimelineRows.UpsertMany(tables.DealIntervals);
        UpsertResidencies = UpsertResidenciesMany(tables.StageResidencies, buckets);
        UpsertFacts = TimelineRows.UpsertMany(tables.DealStageFacts);
        UpsertCurrent = TimelineRows.UpsertMany(tables.DealCurrent);
        UpsertStates = TimelineRows.UpsertMany(tables.DealStates);
        AddStageCounts = AddMany(tables.StageCounts);
        AddDealCounts = AddMany(tables.DealCounts);
    }

    public void UpsertPipeline(IDocumentOperations operations, PipelineVersionRow row) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, upsertPipeline, TimelineRows.Serialize(row));

    public void ClosePipeline(IDocumentOperations operations, string pipelineId, int version, DateTimeOffset validTo) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, closePipeline, TimelineRows.Instant(validTo), pipelineId, version);

    /// <summary>Ends an interval written by an earlier batch, at the event that ends it.</summary>
    public void CloseInterval(IDocumentOperations operations, string dealId, int version, DateTimeOffset validTo, long closedSeq, DateTimeOffset closedRecordedAt) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, closeInterval, TimelineRows.Instant(validTo), TimelineRows.Instant(validTo), closedSeq, closedRecordedAt, dealId, version);

    /// <summary>Ends a residency written by an earlier batch and counts its dwell.</summary>
    public void ExitResidency(IDocumentOperations operations, string dealId, int n, DateTimeOffset exitedAt, string exitKind, string nextStage, long exitedSeq) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, exitResidency, TimelineRows.Instant(exitedAt), exitKind, nextStage, exitedSeq, TimelineRows.Instant(exitedAt), dealId, n);

    /// <summary>Moves the deal's counted dwell from its old filter attributes' buckets to its new ones ('' for none).</summary>
    public void MoveDwell(IDocumentOperations operations, string dealId, DealAttributes before, DealAttributes after) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, moveDwell, before.Owner, before.Team ?? "", before.Region ?? "", before.Product ?? "",
            after.Owner, after.Team ?? "", after.Region ?? "", after.Product ?? "", dealId);

    /// <summary>Puts the deal's current status and filter attributes on its residencies and stage facts written by earlier batches.</summary>
    public void CopyAttributes(IDocumentOperations operations, string dealId, DealAttributes attributes)
    {
        foreach (var statement in copyAttributes)
        {
            operations.QueueSqlCommand(TimelineRows.Placeholder, statement, TimelineRows.Serialize(attributes), dealId);
        }
    }

    public string UpsertIntervals { get; }

    public string UpsertResidencies { get; }

    public string UpsertFacts { get; }

    public string UpsertCurrent { get; }

    public string UpsertStates { get; }

    public string AddStageCounts { get; }

    public string AddDealCounts { get; }

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

    /// <summary>Adds counter rows (distinct keys) to the counters.</summary>
    private static string AddMany(Table table)
    {
        var name = table.Identifier.QualifiedName;
        var sums = table.Columns.Where(c => !table.PrimaryKeyColumns.Contains(c.Name)).Select(c => $"{c.Name} = {name}.{c.Name} + excluded.{c.Name}");
        return $"insert into {name} select * from jsonb_populate_recordset(null::{name}, ^::jsonb) " +
            $"on conflict ({string.Join(", ", table.PrimaryKeyColumns)}) do update set {string.Join(", ", sums)}";
    }
}
