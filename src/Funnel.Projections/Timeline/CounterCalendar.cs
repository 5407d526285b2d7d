using System.Text.RegularExpressions;
using Marten;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The days the dated counters are cut into: calendar days in the organisation's zone, each also summed into its month,
/// so the state at a day's first instant is the sum of the months and days before it (a year: at most 11 months and 30
/// days of rows per key). An instant belongs to the day that ends at or after it: what happened at midnight counts
/// with the day before, so the buckets before a day hold exactly what happened by its first instant.
/// </summary>
public sealed partial class CounterCalendar
{
    public const string Day = "day";

    public const string Month = "month";

    /// <summary>What the dated counters count: raise it when a counter is added or changes, so stores counted before read rows until rebuilt.</summary>
    public const int Version = 1;

    public CounterCalendar(TimeZoneInfo zone)
    {
        // The zone's id is written into the statements: only an IANA-style id (letters, digits, / _ + -) gets there.
        Zone = ZoneId().IsMatch(zone.Id) ? zone : throw new ArgumentException($"'{zone.Id}' is not a time zone id the counters can be cut in.", nameof(zone));
    }

    public static CounterCalendar Utc { get; } = new(TimeZoneInfo.Utc);

    public TimeZoneInfo Zone { get; }

    /// <summary>The SQL for the bucket of an instant expression: the day that ends at or after it (null for null).</summary>
    public string BucketOf(string instant) => $"(({instant} - interval '1 microsecond') at time zone '{Zone.Id}')::date";

    /// <summary>The SQL for the calendar day an instant expression falls in (null for null).</summary>
    public string DayOf(string instant) => $"({instant} at time zone '{Zone.Id}')::date";

    [GeneratedRegex("^[A-Za-z0-9_/+-]+$")]
    private static partial Regex ZoneId();
}

public sealed partial class TimelineTableSet
{
    /// <summary>
    /// One row: the zone the dated counters were cut in, their version and the first event they counted. Reports read the
    /// dated counters only when that zone is theirs, the version is this code's and the counting began at the tenant's
    /// first event (so a store upgraded to them reads rows until it is rebuilt); a batch cut in another zone or by another
    /// version marks the counters mixed (zone '').
    /// </summary>
    public Table CounterCalendar { get; } = Define(schema, TimelineTables.CounterCalendar, columns: ["id integer key", "zone text", "version integer", "counted_from bigint"]);
}

internal sealed partial class TimelineStatements
{
    private readonly string markCalendar = $"""
        insert into {tables.CounterCalendar.Identifier.QualifiedName} as c (id, zone, version, counted_from) values (1, '{calendar.Zone.Id}', {CounterCalendar.Version}, ^)
        on conflict (id) do update set zone = case when (c.zone, c.version) = (excluded.zone, excluded.version) then c.zone else '' end
        """;

    /// <summary>Says, once per batch, in which zone its counters were cut; the first batch also says from which event they count.</summary>
    public void MarkCalendar(IDocumentOperations operations, long firstSequence) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, markCalendar, firstSequence);

    /// <summary>
    /// Adds to dated counters (n, amount, began), from the rows <c>r</c> a statement returned: +1 and the amount at the bucket
    /// (day and month) of each row's <paramref name="from"/>, -1 and minus the amount at that of its <paramref name="to"/>
    /// (either may be null), and 1 begun on the calendar day <paramref name="from"/> falls in, under the row's
    /// <paramref name="keys"/> (the counters' key columns after pipeline, span and bucket).
    /// </summary>
    private static string CountDated(CounterCalendar calendar, Table counts, string from, string to, string[] keys, string amount) => $"""
        insert into {counts.Identifier.QualifiedName} as c
        select r.pipeline_id, s.span, case s.span when '{CounterCalendar.Month}' then date_trunc('month', b.day)::date else b.day end, {string.Join(", ", keys)},
               sum(b.sign), sum(b.sign * {amount}), sum(b.began)
        from r cross join lateral (values ({calendar.BucketOf(from)}, 1, 0), ({calendar.BucketOf(to)}, -1, 0), ({calendar.DayOf(from)}, 0, 1)) as b(day, sign, began)
             cross join (values ('{CounterCalendar.Day}'), ('{CounterCalendar.Month}')) as s(span)
        where b.day is not null
        group by {string.Join(", ", Enumerable.Range(1, 3 + keys.Length))}
        having sum(b.sign) <> 0 or sum(b.sign * {amount}) <> 0 or sum(b.began) <> 0
        on conflict ({string.Join(", ", counts.PrimaryKeyColumns)}) do update set n = c.n + excluded.n, amount = c.amount + excluded.amount, began = c.began + excluded.began
        """;

    /// <summary>
    /// Adds counter rows given as a jsonb array (the table's columns but span and bucket, and the instant <c>at</c>) to the
    /// day and month of each row's instant, <paramref name="bucket"/> saying which day that is (<see cref="CounterCalendar.BucketOf"/>
    /// for a state from an instant on, <see cref="CounterCalendar.DayOf"/> for what happened in a day).
    /// </summary>
    private static string AddDated(Table counts, Func<string, string> bucket)
    {
        var dated = new[] { "pipeline_id", "span", "bucket" };
        var keys = counts.PrimaryKeyColumns.Except(dated).ToList();
        var sums = counts.Columns.Select(c => c.Name).Where(c => !counts.PrimaryKeyColumns.Contains(c)).ToList();
        var fields = counts.Columns.Where(c => c.Name is not ("span" or "bucket")).Select(c => $"{c.Name} {c.Type}").Append("at timestamptz");
        return $"""
            insert into {counts.Identifier.QualifiedName} as c
            select x.pipeline_id, s.span, case s.span when '{CounterCalendar.Month}' then date_trunc('month', x.day)::date else x.day end,
                   {string.Join(", ", keys.Select(k => $"x.{k}"))}, {string.Join(", ", sums.Select(n => $"sum(x.{n})"))}
            from (select r.*, {bucket("r.at")} as day from jsonb_to_recordset(^::jsonb) as r({string.Join(", ", fields)})) x
                 cross join (values ('{CounterCalendar.Day}'), ('{CounterCalendar.Month}')) as s(span)
            group by {string.Join(", ", Enumerable.Range(1, 3 + keys.Count))}
            having {string.Join(" or ", sums.Select(n => $"sum(x.{n}) <> 0"))}
            on conflict ({string.Join(", ", counts.PrimaryKeyColumns)}) do update set {string.Join(", ", sums.Select(n => $"{n} = c.{n} + excluded.{n}"))}
            """;
    }
}
