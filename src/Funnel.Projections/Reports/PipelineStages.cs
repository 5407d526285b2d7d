using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>Which version of a pipeline's definition (stage order and probabilities) a report weighs with.</summary>
public static class PipelineStages
{
    /// <summary>
    /// SQL for the version of a pipeline in force at an instant (as known at a recorded time, when given). Before the
    /// first definition's own date (history imported into a pipeline defined later) the first definition applies.
    /// </summary>
    internal static string VersionInForce(string pipeline, string at, string? knownAt = null)
    {
        var table = $"{TimelineTables.Schema}.pipeline_versions";
        var known = knownAt is null ? "" : $" and ({knownAt}::timestamptz is null or recorded_at <= {knownAt})";
        return $"coalesce((select max(version) from {table} where pipeline_id = {pipeline} and valid_from <= {at}{known}), (select min(version) from {table} where pipeline_id = {pipeline}))";
    }
}
