using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>
/// A report at a recent past instant, from the funnel as it stands less what changed after the instant: the deals with a
/// deal event (or, where it matters, an activity) dated after @asOf are the only ones whose state then differs from their
/// state now, so they are read as they stood at @asOf, and every other deal as it stands. It costs the changes after
/// @asOf, not the history before it: it answers only while they are few (<see cref="Limit"/>).
/// </summary>
internal static class ChangedSince
{
    /// <summary>How many deal events may lie after @asOf for a report to read them instead of the history.</summary>
    public const int Limit = 20_000;

    /// <summary>
    /// The same for dwell at a midnight, which the counters dated by day also answer, flat (at a million deals about 20 ms):
    /// counting up to 20,000 changes to find there are more took longer than their answer.
    /// </summary>
    public const int LimitAtMidnight = 2_000;

    /// <summary>CTE <c>changed(deal_id)</c>: the pipeline's deals with a deal event after @asOf, and with an activity after it when <paramref name="activities"/>.</summary>
    public static string Deals(bool activities) => $"""
        changed as materialized (
            select distinct i.deal_id from {TimelineTables.DealIntervals} i where i.pipeline_id = @pipeline and i.valid_from > @asOf
            {(activities ? $"union select a.deal_id from {TimelineTables.Activities} a where a.pipeline_id = @pipeline and a.occurred_at > @asOf and a.deal_id is not null" : "")}
        )
        """;

    /// <summary>SQL, on a row with a deal_id column aliased <paramref name="alias"/>: the deal's interval in force at @asOf (as known now), as <c>v</c>.</summary>
    public static string IntervalAt(string alias) => $"""
        cross join lateral (
            select i.* from {TimelineTables.DealIntervals} i where i.deal_id = {alias}.deal_id and i.valid_from <= @asOf order by i.version desc limit 1) v
        """;

    /// <summary>
    /// Whether the counters answer at <paramref name="asOf"/>: they were cut in <paramref name="zone"/> by this version
    /// (<see cref="ReportDatabase.CountedInAsync"/>) and fewer than <paramref name="limit"/> deal events in the pipeline are
    /// dated after it (read from an index, at most that many entries).
    /// </summary>
    public static async Task<bool> CountedAsync(ReportDatabase db, string pipelineId, DateTimeOffset asOf, TimeZoneInfo zone, CancellationToken ct, int limit = Limit) =>
        await db.CountedInAsync(zone, ct) && (await db.QueryAsync(
            $"select count(*) < @limit as few from (select 1 from {TimelineTables.DealIntervals} where pipeline_id = @pipeline and valid_from > @asOf limit @limit) x",
            c =>
            {
                ReportDatabase.Add(c, "pipeline", pipelineId);
                ReportDatabase.Add(c, "asOf", asOf);
                c.Parameters.AddWithValue("limit", limit);
            },
            r => ReportDatabase.Column<bool>(r, "few"), ct)).Single();
}
