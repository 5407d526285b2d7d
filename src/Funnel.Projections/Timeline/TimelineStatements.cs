using Marten;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The statements the timeline projection writes with, for one table set (live, or the copy verify rebuilds), each
/// queued by a method whose arguments name the statement's parameters in order (Marten's <c>^</c> placeholders are
/// positional). The batch statements take a jsonb array: one statement for what a whole batch created. Each read
/// model's statements are in its folder under ReadModels/; here, what spans several.
/// </summary>
/// <param name="counting">
/// Whether the statements count as they write: false while a catch-up leaves the counters to a recount
/// (<see cref="CounterRecount"/>), when the rows are written alone and the counters not touched.
/// </param>
internal sealed partial class TimelineStatements(TimelineTableSet tables, CounterCalendar calendar, bool counting)
{
    public bool Counting => counting;

    /// <summary>Where the dated counters' days begin.</summary>
    public CounterCalendar Calendar => calendar;

    /// <summary>
    /// The counters drawn from the rows the statements write (not from the deals' states: <see cref="StateCounters"/>),
    /// each with the statement that counts all of its table's rows into it when it is empty (the dwell counters' one
    /// statement counts into all four).
    /// </summary>
    public IReadOnlyList<(IReadOnlyList<Table> Counters, string Recount)> RowCounters =>
    [
        // Every interval counted whole: its start, its end if it has one, their recordings, and its move.
        .. Recounts(tables.DealIntervals, CountedOfInterval, IntervalCounts(calendar, tables, "r.valid_from", "r.recorded_at", intoEmpty: true)),
        ([tables.HandoverCounts], AddHandoverCounts.IntoEmpty(HandoversIn(tables))),
        ([tables.AmountChangeCounts], AddAmountChangeCounts.IntoEmpty(AmountChangesIn(tables))),
        // Every ended stay, under the attributes its row carries (the deal's current ones).
        (DwellCounters(tables), RecountDwell(tables)),
        // Every activity counted, each rep's deal once a day.
        .. Recounts(tables.Activities, CountedOfActivity, ActivityCounts(calendar, tables, written: false)),
    ];

    /// <summary>One counter's insert from the rows <c>r</c>, after CTEs of its own (<paramref name="Ctes"/>, each led by a comma).</summary>
    private sealed record CountPart(Table Counter, string Insert, string Ctes = "");

    /// <summary>The parts as one statement's end after <c>r</c>: all but the last as CTEs (PostgreSQL runs every one).</summary>
    private static string Chained(IReadOnlyList<CountPart> parts) =>
        string.Concat(parts.SkipLast(1).Select((p, i) => $"{p.Ctes}\n, counted{i} as ({p.Insert} returning 1)\n")) + $"{parts[^1].Ctes}\n{parts[^1].Insert}";

    /// <summary>
    /// Each part a recount of every row of <paramref name="table"/> of its own, so that a recount runs them side by side:
    /// as one statement, at a million deals, the intervals' parts took 483 s on one core, most of a rebuild's recount.
    /// </summary>
    private static IEnumerable<(IReadOnlyList<Table> Counters, string Recount)> Recounts(Table table, string columns, IReadOnlyList<CountPart> parts) =>
        parts.Select(p => ((IReadOnlyList<Table>)[p.Counter], CountAll(table, columns, $"{p.Ctes}\n{p.Insert}")));

    /// <summary>
    /// A statement that writes rows and, when counting, counts the rows it returns (<paramref name="returning"/>, named
    /// <c>r</c>) with <paramref name="count"/> (CTEs after <c>r</c>, then the last statement).
    /// </summary>
    private static string WriteCounted(bool counting, string write, string returning, string count) =>
        counting ? $"with r as ({write} returning {returning}) {count}" : write;

    /// <summary>Counts every row of a table (its columns <paramref name="columns"/>, named <c>r</c>) with <paramref name="count"/>.</summary>
    private static string CountAll(Table table, string columns, string count) =>
        $"with r as (select {columns} from {table.Identifier.QualifiedName} t) {count}";

    private readonly IReadOnlyList<string> copyAttributes = [.. new[] { tables.StageResidencies, tables.DealStageFacts }.Select(t => t.Identifier.QualifiedName).Select(name =>
        $"update {name} t set (status, status_changed_at, owner, team, region, product) = (a.status, a.status_changed_at, a.owner, a.team, a.region, a.product) " +
        $"from jsonb_populate_record(null::{name}, ^::jsonb) a where t.deal_id = a.deal_id")];

    /// <summary>Puts the deal's current status and filter attributes on its residencies and stage facts written by earlier batches.</summary>
    public void CopyAttributes(IDocumentOperations operations, string dealId, DealAttributes attributes)
    {
        foreach (var statement in copyAttributes)
        {
            TimelineRows.QueueNamed(operations, statement, new
            {
                DealId = dealId, attributes.Status, attributes.StatusChangedAt, attributes.Owner, attributes.Team, attributes.Region, attributes.Product,
            });
        }
    }

    /// <summary>
    /// The end of a grouped insert into a counter: each row's sums added to those already under its key, or nothing when
    /// the rows go <paramref name="intoEmpty"/> counters (a recount: each key once, so a plain insert, without the upsert's conflict check).
    /// </summary>
    internal static string Summing(Table counts, bool intoEmpty)
    {
        var keys = counts.PrimaryKeyColumns;
        var sums = counts.Columns.Select(c => c.Name).Where(c => !keys.Contains(c));
        return intoEmpty ? "" : $"on conflict ({string.Join(", ", keys)}) do update set {string.Join(", ", sums.Select(n => $"{n} = c.{n} + excluded.{n}"))}";
    }

    /// <summary>
    /// A dated counter's rows from <paramref name="byDay"/> (a select of pipeline_id, day, <paramref name="keys"/> and
    /// <paramref name="sums"/>, named so and grouped by day), each day's sums added into its day, month and year. Days
    /// grouped first and then their spans group far fewer rows than every row in each of its spans (the interval counts
    /// at a million deals: 22 s against 47).
    /// </summary>
    private static string DaysInSpans(string byDay, IReadOnlyList<string> keys, IReadOnlyList<string> sums) => $"""
        select d.pipeline_id, s.span, {CounterCalendar.BucketIn("d.day")}, {string.Join(", ", keys.Select(k => $"d.{k}"))}, {string.Join(", ", sums.Select(n => $"sum(d.{n})"))}
        from ({byDay}) d {CounterCalendar.Spans}
        group by {string.Join(", ", Enumerable.Range(1, 3 + keys.Count))}
        """;

    /// <summary>Adds counter rows (the table's columns) to the counters.</summary>
    private static CounterAdd AddMany(Table counts)
    {
        var keys = counts.PrimaryKeyColumns;
        var sums = counts.Columns.Select(c => c.Name).Where(c => !keys.Contains(c)).ToList();
        var groups = new CounterGroups([.. keys.Select(k => new CounterKey(k))], sums, Spans: null);
        return new CounterAdd(counts, TimelineRows.Fields(counts), groups, (source, intoEmpty) => $"""
            insert into {counts.Identifier.QualifiedName} as c ({string.Join(", ", keys.Concat(sums))})
            select {string.Join(", ", keys.Concat(sums.Select(n => $"sum({n})")))} from {source}
            group by {string.Join(", ", keys)}
            {Summing(counts, intoEmpty)}
            """);
    }
}
