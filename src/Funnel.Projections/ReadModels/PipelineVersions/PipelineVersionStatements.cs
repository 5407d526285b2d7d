using Marten;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    private readonly string upsertPipeline = TimelineRows.Upsert(tables.PipelineVersions);
    private readonly string closePipeline =
        $"update {tables.PipelineVersions.Identifier.QualifiedName} set valid_to = ^::timestamptz where pipeline_id = ^ and version = ^";

    public void UpsertPipeline(IDocumentOperations operations, PipelineVersionRow row) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, upsertPipeline, TimelineRows.Serialize(row));

    public void ClosePipeline(IDocumentOperations operations, string pipelineId, int version, DateTimeOffset validTo) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, closePipeline, TimelineRows.Instant(validTo), pipelineId, version);
}
