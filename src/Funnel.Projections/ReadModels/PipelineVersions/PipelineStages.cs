using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>Which version of a pipeline's definition (stage order and probabilities) a report weighs with.</summary>
public static class PipelineStages
{
    /// <summary>
    /// SQL for the stage probabilities a report weighs with (id, probability): the definition in force at
    /// <paramref name="at"/>, or the latest one when the query's @current parameter is true (re-weighting the past with
    /// today's), or the observed win rates the query passes (@observed, @observedStages, @observedRates: see <see cref="AddParameters"/>).
    /// </summary>
    internal static string Probabilities(string pipeline, string at, string? knownAt = null) => $"""
        select s.id, s.probability from {Table} pv, jsonb_to_recordset(pv.stages) as s(id text, probability numeric)
        where not @observed and pv.pipeline_id = {pipeline} and pv.version = case when @current
            then (select max(version) from {Table} where pipeline_id = {pipeline})
            else {VersionInForce(pipeline, at, knownAt)} end
        union all
        select o.id, o.probability from unnest(@observedStages::text[], @observedRates::numeric[]) as o(id, probability) where @observed
        """;

    /// <summary>The parameters of <see cref="Probabilities"/>: today's definition, or observed rates per stage, or neither (the one in force).</summary>
    internal static void AddParameters(Npgsql.NpgsqlCommand c, bool current, IReadOnlyDictionary<string, decimal>? observed)
    {
        c.Parameters.AddWithValue("current", current);
        c.Parameters.AddWithValue("observed", observed is not null);
        c.Parameters.AddWithValue("observedStages", observed?.Keys.ToArray() ?? []);
        c.Parameters.AddWithValue("observedRates", observed?.Values.ToArray() ?? []);
    }

    private static string Table => $"{TimelineTables.PipelineVersions}";

    /// <summary>
    /// SQL for the version of a pipeline in force at an instant (as known at a recorded time, when given). Before the
    /// first definition's own date (history imported into a pipeline defined later) the first definition applies.
    /// </summary>
    internal static string VersionInForce(string pipeline, string at, string? knownAt = null)
    {
        var table = Table;
        var known = knownAt is null ? "" : $" and ({knownAt}::timestamptz is null or recorded_at <= {knownAt})";
        return $"coalesce((select max(version) from {table} where pipeline_id = {pipeline} and valid_from <= {at}{known}), (select min(version) from {table} where pipeline_id = {pipeline}))";
    }
}
