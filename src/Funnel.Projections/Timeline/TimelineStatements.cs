namespace Funnel.Projections.Timeline;

/// <summary>The statements the timeline projection writes with, for one table set (live, or the copy verify rebuilds).</summary>
internal sealed class TimelineStatements(TimelineTableSet tables)
{
    public string UpsertPipeline { get; } = TimelineRows.Upsert(tables.PipelineVersions);

    public string CloseInterval { get; } =
        $"update {tables.DealIntervals.Identifier.QualifiedName} set valid_to = ^::timestamptz, period = tstzrange(valid_from, ^::timestamptz, '[)'), " +
        "closed_seq = ^, closed_recorded_at = ^ where deal_id = ^ and version = ^";

    public string ClosePipeline { get; } =
        $"update {tables.PipelineVersions.Identifier.QualifiedName} set valid_to = ^::timestamptz where pipeline_id = ^ and version = ^";

    public string ExitResidency { get; } = TimelineCounts.ExitResidency(tables);

    public string MoveDwell { get; } = TimelineCounts.MoveDwell(tables);

    /// <summary>Copies a deal's current status and filter attributes onto its rows in a table (attributes as a row; deal).</summary>
    public IReadOnlyList<string> CopyAttributes { get; } = [.. new[] { tables.StageResidencies, tables.DealStageFacts }.Select(t => t.Identifier.QualifiedName).Select(name =>
        $"update {name} t set (status, status_changed_at, owner, team, region, product) = (a.status, a.status_changed_at, a.owner, a.team, a.region, a.product) " +
        $"from jsonb_populate_record(null::{name}, ^::jsonb) a where t.deal_id = ^")];

    public string UpsertIntervals { get; } = TimelineRows.UpsertMany(tables.DealIntervals);

    public string UpsertResidencies { get; } = TimelineCounts.UpsertResidencies(tables);

    public string UpsertFacts { get; } = TimelineRows.UpsertMany(tables.DealStageFacts);

    public string UpsertCurrent { get; } = TimelineRows.UpsertMany(tables.DealCurrent);

    public string UpsertStates { get; } = TimelineRows.UpsertMany(tables.DealStates);

    public string AddStageCounts { get; } = TimelineCounts.AddMany(tables.StageCounts);

    public string AddDealCounts { get; } = TimelineCounts.AddMany(tables.DealCounts);
}
