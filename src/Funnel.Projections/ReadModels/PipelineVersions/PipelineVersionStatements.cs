using Marten;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    private readonly string upsertPipeline = TimelineRows.Upsert(tables.PipelineVersions);
    private readonly string closePipeline =
        $"update {tables.PipelineVersions.Identifier.QualifiedName} v set valid_to = p.valid_to from {TimelineRows.Parameters("valid_to timestamptz", "pipeline_id text", "version integer")} " +
        "where v.pipeline_id = p.pipeline_id and v.version = p.version";

    public void UpsertPipeline(IDocumentOperations operations, PipelineVersionRow row) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, upsertPipeline, TimelineRows.Serialize(row));

    public void ClosePipeline(IDocumentOperations operations, string pipelineId, int version, DateTimeOffset validTo) =>
        TimelineRows.QueueNamed(operations, closePipeline, new { ValidTo = validTo, PipelineId = pipelineId, Version = version });
}
