using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

/// <summary>SQL for the deal intervals in force at an instant, as known at a recorded time: what snapshots, forecasts and velocity read.</summary>
internal static class IntervalsInForce
{
    // Declared first: the statements below are built from it when the type initialises.
    private static readonly string Columns = string.Join(", ", TimelineTableSet.IntervalReadColumns);

    /// <summary>
    /// Each deal's interval in force at @asOf, as known at @knownAt (recorded time): the interval must have been recorded by then,
    /// and one closed by an event recorded after @knownAt still counts as open-ended. Both halves are index range scans.
    /// </summary>
    internal static readonly string All = Intervals("status = 'open'", "period @> @asOf") + "\n        union all\n" +
        Intervals("status <> 'open'", "valid_from <= @asOf and (valid_to is null or valid_to > @asOf)");

    /// <summary>The same, for the deals open at @asOf only (forecasts, velocity).</summary>
    internal static readonly string Open = Intervals("status = 'open'", "period @> @asOf");

    /// <summary>The deals open now, from the current deals: what <see cref="Open"/> gives at the present instant, by an index.</summary>
    internal static readonly string OpenNow = $"select * from {TimelineTables.DealCurrent} where pipeline_id = @pipeline and status = 'open'";

    // In force at @asOf: the open ones by the range index, the closed ones by their start (the same condition, written for a b-tree).
    private static string Intervals(string status, string inForce) => $"""
        select {Columns} from {TimelineTables.DealIntervals}
        where {status} and pipeline_id = @pipeline and {inForce} and (@knownAt::timestamptz is null or recorded_at <= @knownAt)
        union all
        select {Columns} from {TimelineTables.DealIntervals}
        where {status} and @knownAt::timestamptz is not null and closed_recorded_at > @knownAt and pipeline_id = @pipeline
          and valid_from <= @asOf and valid_to <= @asOf and recorded_at <= @knownAt
        """;

    internal static void AddParameters(NpgsqlCommand c, string pipelineId, DateTimeOffset asOf, DateTimeOffset? knownAt)
    {
        ReportDatabase.Add(c, "pipeline", pipelineId);
        ReportDatabase.Add(c, "asOf", asOf);
        ReportDatabase.Add(c, "knownAt", knownAt);
    }
}
