using System.Text.RegularExpressions;
using Marten;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The days the dated counters are cut into: calendar days in the organisation's zone, each also summed into its month
/// and its year, so the state at a day's first instant is the sum of the years, months and days before it (at most the
/// years of the history, 11 months and 30 days of rows per key). An instant belongs to the day that ends at or after it:
/// what happened at midnight counts with the day before, so the buckets before a day hold exactly what happened by its
/// first instant.
/// </summary>
public sealed partial class CounterCalendar
{
    public const string Day = "day";

    public const string Month = "month";

    public const string Year = "year";

    /// <summary>The spans every dated row is counted in: its day, its month and its year.</summary>
    public static IReadOnlyList<string> AllSpans { get; } = [Day, Month, Year];

    /// <summary>SQL: one row per span (<see cref="AllSpans"/>: the source's rows each counted in their day, month and year), as <c>s(span)</c>.</summary>
    public static string Spans { get; } = $"cross join (values {string.Join(", ", AllSpans.Select(s => $"('{s}')"))}) as s(span)";

    /// <summary>SQL: the bucket of <paramref name="day"/> in the span <c>s.span</c> (<see cref="Spans"/>): the day, its month's first or its year's.</summary>
    public static string BucketIn(string day) =>
        $"case s.span when '{Year}' then date_trunc('year', {day})::date when '{Month}' then date_trunc('month', {day})::date else {day} end";

    /// <summary>In memory, the bucket of <paramref name="day"/> in <paramref name="span"/>, as <see cref="BucketIn"/> gives it.</summary>
    public static DateOnly BucketIn(string span, DateOnly day) => span switch
    {
        Year => new DateOnly(day.Year, 1, 1),
        Month => new DateOnly(day.Year, day.Month, 1),
        _ => day,
    };

    /// <summary>What the dated counters count: raise it when a counter is added or changes, so stores counted before read rows until rebuilt.</summary>
    public const int Version = 13;

    /// <summary>The version while the counters are owed a recount (CounterRecount): one no reports read.</summary>
    public const int Owed = 0;

    public CounterCalendar(TimeZoneInfo zone)
    {
        // The zone's id is written into the statements: only an IANA-style id (letters, digits, / _ + -) gets there.
        Zone = ZoneId().IsMatch(zone.Id) ? zone : throw new ArgumentException($"'{zone.Id}' is not a time zone id the counters can be cut in.", nameof(zone));
    }

    public static CounterCalendar Utc { get; } = new(TimeZoneInfo.Utc);

    public TimeZoneInfo Zone { get; }

    /// <summary>The day that ends at or after an instant: the bucket a state from that instant on counts in.</summary>
    public CounterDay Bucket => new(BucketOf, BucketOf);

    /// <summary>The calendar day an instant falls in: the bucket of what happened at it.</summary>
    public CounterDay Happened => new(DayOf, DayOf);

    /// <summary>The first day of the calendar month an instant falls in.</summary>
    public CounterDay MonthHappened => new(
        instant => $"date_trunc('month', {DayOf(instant)})::date",
        instant => BucketIn(Month, DayOf(instant)));

    /// <summary>The SQL for the bucket of an instant expression: the day that ends at or after it (null for null).</summary>
    public string BucketOf(string instant) => $"(({instant} - interval '1 microsecond') at time zone '{Zone.Id}')::date";

    /// <summary>The bucket of an instant in memory, as <see cref="BucketOf(string)"/> gives it once the instant is stored.</summary>
    public DateOnly BucketOf(DateTimeOffset instant) => DateIn(AsStored(instant).AddTicks(-TicksPerMicrosecond));

    /// <summary>The calendar day of an instant in memory, as <see cref="DayOf(string)"/> gives it once the instant is stored.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateIn(AsStored(instant));

    /// <summary>The SQL for the instant a day (an SQL date expression) begins in the zone.</summary>
    public string MidnightOf(string day) => $"({day}::timestamp at time zone '{Zone.Id}')";

    /// <summary>The SQL for the calendar day an instant expression falls in (null for null).</summary>
    public string DayOf(string instant) => $"({instant} at time zone '{Zone.Id}')::date";

    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    private DateOnly DateIn(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>
    /// The instant PostgreSQL stores for it (rows carry instants to it as text, <see cref="TimelineRows.Instant"/>): to the
    /// microsecond, its parser rounding the fraction of the second as <c>rint(fraction * 1e6)</c>, half to even.
    /// </summary>
    private static DateTimeOffset AsStored(DateTimeOffset instant)
    {
        var fraction = instant.UtcTicks % TimeSpan.TicksPerSecond;
        var micros = (long)Math.Round(fraction / (double)TimeSpan.TicksPerSecond * 1e6, MidpointRounding.ToEven);
        return new DateTimeOffset(instant.UtcTicks - fraction + (micros * TicksPerMicrosecond), TimeSpan.Zero);
    }

    [GeneratedRegex("^[A-Za-z0-9_/+-]+$")]
    private static partial Regex ZoneId();
}

/// <summary>
/// Which day a dated counter counts an instant in, written twice side by side: as SQL for the statements that count as
/// they write, and in memory for a recount (<see cref="CounterSums"/>); a test holds the two to the same days.
/// </summary>
public sealed record CounterDay(Func<string, string> Sql, Func<DateTimeOffset, DateOnly> Of);

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
    /// <summary>
    /// Says, once per batch, in which zone its counters were cut and by which version; the first batch also says from
    /// which event they count. A counting batch of another zone or version than the row's marks the counters mixed; a
    /// batch that leaves them to a recount says <see cref="CounterCalendar.Owed"/> whatever the row said (the recount
    /// counts them all again), so a projection that stops counting far behind the head has them read from rows meanwhile.
    /// </summary>
    public void MarkCalendar(IDocumentOperations operations, long firstSequence) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, $"""
            insert into {tables.CounterCalendar.Identifier.QualifiedName} as c (id, zone, version, counted_from)
            values (1, '{calendar.Zone.Id}', {(counting ? CounterCalendar.Version : CounterCalendar.Owed)}, ^)
            on conflict (id) do update set {(counting
                ? "zone = case when (c.zone, c.version) = (excluded.zone, excluded.version) then c.zone else '' end"
                : "version = excluded.version, zone = case when c.zone = excluded.zone then c.zone else '' end")}
            """, firstSequence);

    /// <summary>After a recount: the counters count by this version (in this zone, or mixed if the row says another).</summary>
    public string CountedCalendar => $"""
        update {tables.CounterCalendar.Identifier.QualifiedName} c set version = {CounterCalendar.Version},
               zone = case when c.zone = '{calendar.Zone.Id}' then c.zone else '' end
        where id = 1
        """;

    /// <summary>
    /// Adds counter rows (the table's columns but span and bucket, and the instant <c>at</c>) to the day, month and year
    /// of each row's instant, <paramref name="day"/> saying which day that is (<see cref="CounterCalendar.Bucket"/>
    /// for a state from an instant on, <see cref="CounterCalendar.Happened"/> for what happened in a day).
    /// </summary>
    /// <param name="derived">A key column that is the day <see cref="CounterKey.Day"/> gives another instant of the row, <see cref="CounterKey.From"/>.</param>
    private static CounterAdd AddDated(Table counts, CounterDay day, CounterKey? derived = null)
    {
        var dated = new[] { "pipeline_id", "span", "bucket" };
        var keys = counts.PrimaryKeyColumns.Except(dated).ToList();
        var sums = counts.Columns.Select(c => c.Name).Where(c => !counts.PrimaryKeyColumns.Contains(c)).ToList();
        var fields = counts.Columns.Where(c => c.Name is not ("span" or "bucket") && c.Name != derived?.Column).Select(c => $"{c.Name} {c.Type}")
            .Concat(derived is { From: { } from } ? [$"{from} timestamptz"] : []).Append("at timestamptz");
        var groups = new CounterGroups([new("pipeline_id"), .. keys.Select(k => k == derived?.Column ? derived : new CounterKey(k))], sums, day);
        var derivedSql = derived is { From: { } source, Day: { } derivedDay } ? $", {derivedDay.Sql($"r.{source}")} as {derived.Column}" : "";
        return new CounterAdd(counts, string.Join(", ", fields), groups, (source, intoEmpty) => $"""
            insert into {counts.Identifier.QualifiedName} as c
            select {string.Join(", ", new[] { "x.pipeline_id", "s.span", CounterCalendar.BucketIn("x.at_day") }.Concat(keys.Select(k => $"x.{k}")).Concat(sums.Select(n => $"sum(x.{n})")))}
            from (select r.*, {day.Sql("r.at")} as at_day{derivedSql} from {source}) x
                 {CounterCalendar.Spans}
            group by {string.Join(", ", Enumerable.Range(1, 3 + keys.Count))}
            having {string.Join(" or ", sums.Select(n => $"sum(x.{n}) <> 0"))}
            {Summing(counts, intoEmpty)}
            """);
    }
}
