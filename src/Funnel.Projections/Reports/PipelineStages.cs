using System.Text.Json;
using Funnel.Domain.Pipelines;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>The stages (order and probabilities) of a pipeline version: the latest, or the one in force at an instant.</summary>
public static class PipelineStages
{
    private const string Sql = $"""
        select stages::text from {TimelineTables.Schema}.pipeline_versions
        where pipeline_id = @pipeline and (@at::timestamptz is null or valid_from <= @at) and (@known::timestamptz is null or recorded_at <= @known)
        order by version desc limit 1
        """;

    public static async Task<IReadOnlyList<StageDefinition>> ReadAsync(ReportDatabase db, string pipelineId, DateTimeOffset? inForceAt, DateTimeOffset? knownAt, CancellationToken ct)
    {
        var rows = await db.QueryAsync(Sql, c =>
        {
            ReportDatabase.Add(c, "pipeline", pipelineId);
            ReportDatabase.Add(c, "at", inForceAt);
            ReportDatabase.Add(c, "known", knownAt);
        }, r => r.GetString(0), ct);
        return rows.Count == 0 ? [] : JsonSerializer.Deserialize<List<StageDefinition>>(rows[0], TimelineRows.Json)!;
    }
}
