using Funnel.Domain;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

/// <summary>
/// Which rows of a dated counter (<see cref="CounterCalendar"/>: a day, a month and a year span) a report sums: those of a
/// run of days (the years wholly inside it, the other months wholly inside it, and its other days), or those before a day
/// (the years before its year, the months of its year before its month, and the days of its month before it).
/// </summary>
internal static class CountedDays
{
    /// <summary>The rows of a counter aliased <paramref name="alias"/> for the days [@fromDay, @toDay).</summary>
    public static string Within(string alias) =>
        $"(({alias}.span = '{CounterCalendar.Year}' and {alias}.bucket >= @yearsFrom and {alias}.bucket < @yearsTo) or " +
        $"({alias}.span = '{CounterCalendar.Month}' and {alias}.bucket >= @monthsFrom and {alias}.bucket < @monthsTo and not ({alias}.bucket >= @yearsFrom and {alias}.bucket < @yearsTo)) or " +
        $"({alias}.span = '{CounterCalendar.Day}' and {alias}.bucket >= @fromDay and {alias}.bucket < @toDay and not ({alias}.bucket >= @monthsFrom and {alias}.bucket < @monthsTo)))";

    /// <summary>The rows of a counter aliased <paramref name="alias"/> before the day @day (<see cref="AddBefore"/>).</summary>
    public static string Before(string alias) => Before(alias, "@day", "@dayYear", "@dayMonth");

    /// <summary>
    /// The rows of a counter aliased <paramref name="alias"/> before the day the SQL date <paramref name="day"/> gives, with
    /// the first days of its year and month: values, not computed per row (date_trunc of a date goes through a time zone).
    /// </summary>
    public static string Before(string alias, string day, string dayYear, string dayMonth) =>
        $"({string.Join(" or ", BeforeBySpan(alias, day, dayYear, dayMonth).Select(span => $"({span})"))})";

    /// <summary>
    /// The conditions of <see cref="Before(string)"/>, one a span: a sum of one key's rows read as three ranges of an
    /// index led by the key, span and bucket, where their "or" reads every bucket of the key.
    /// </summary>
    public static IReadOnlyList<string> BeforeBySpan(string alias) => BeforeBySpan(alias, "@day", "@dayYear", "@dayMonth");

    private static IReadOnlyList<string> BeforeBySpan(string alias, string day, string dayYear, string dayMonth) =>
    [
        $"{alias}.span = '{CounterCalendar.Year}' and {alias}.bucket < {dayYear}",
        $"{alias}.span = '{CounterCalendar.Month}' and {alias}.bucket >= {dayYear} and {alias}.bucket < {dayMonth}",
        $"{alias}.span = '{CounterCalendar.Day}' and {alias}.bucket >= {dayMonth} and {alias}.bucket < {day}",
    ];

    /// <summary>
    /// The rows of a counter aliased <paramref name="alias"/> whose sum, each row signed by <see cref="Signed"/>, is the
    /// state at the first instant of @day: those before it (<see cref="Before(string)"/>), or, when @fromEnd (a day late
    /// in its year, as a recent instant is), the years up to its own less the months of its year after its month and the
    /// days of its month from it on: a handful of buckets instead of a year's. @fromEnd is a parameter, so each plan keeps
    /// the one form it reads.
    /// </summary>
    public static string StateBefore(string alias) =>
        $"((not @fromEnd and {Before(alias)}) or (@fromEnd and (" +
        $"({alias}.span = '{CounterCalendar.Year}' and {alias}.bucket <= @dayYear) or " +
        $"({alias}.span = '{CounterCalendar.Month}' and {alias}.bucket > @dayMonth and {alias}.bucket < @nextYear) or " +
        $"({alias}.span = '{CounterCalendar.Day}' and {alias}.bucket >= @day and {alias}.bucket < @nextMonth))))";

    /// <summary>A counter row's <paramref name="value"/> as <see cref="StateBefore"/> sums it: taken away when it is a later month or day.</summary>
    public static string Signed(string alias, string value) => $"(case when @fromEnd and {alias}.span <> '{CounterCalendar.Year}' then -({value}) else {value} end)";

    /// <summary>
    /// The parameters of <see cref="Within"/>: the days from <paramref name="fromDay"/> up to (without) <paramref name="toDay"/>,
    /// and the months and years wholly inside them (an empty run when the first is not before the second).
    /// </summary>
    public static void AddWithin(NpgsqlCommand c, DateOnly fromDay, DateOnly toDay)
    {
        // The first month and year that begin on or after fromDay (none, at the calendar's end, is its last day).
        var monthsFrom = fromDay.Day == 1 ? fromDay : fromDay >= new DateOnly(9999, 12, 1) ? DateOnly.MaxValue : new DateOnly(fromDay.Year, fromDay.Month, 1).AddMonths(1);
        var yearsFrom = monthsFrom is { Month: 1, Day: 1 } ? monthsFrom : monthsFrom.Year == 9999 ? DateOnly.MaxValue : new DateOnly(monthsFrom.Year + 1, 1, 1);
        c.Parameters.AddWithValue("fromDay", fromDay);
        c.Parameters.AddWithValue("toDay", toDay);
        c.Parameters.AddWithValue("monthsFrom", monthsFrom);
        c.Parameters.AddWithValue("monthsTo", new DateOnly(toDay.Year, toDay.Month, 1));
        c.Parameters.AddWithValue("yearsFrom", yearsFrom);
        c.Parameters.AddWithValue("yearsTo", new DateOnly(toDay.Year, 1, 1));
    }

    /// <summary>Whether [<paramref name="from"/>, <paramref name="to"/>) (either open) is a run of whole days in the zone, as the counters cut them.</summary>
    public static bool WholeDays(DateTimeOffset? from, DateTimeOffset? to, TimeZoneInfo zone) =>
        (from is not { } f || IsMidnight(f, zone)) && (to is not { } t || IsMidnight(t, zone));

    public static bool IsMidnight(DateTimeOffset at, TimeZoneInfo zone) => BusinessTime.MidnightIn(BusinessTime.DayIn(at, zone), zone) == at;

    /// <summary>
    /// The parameters of a window [<paramref name="from"/>, <paramref name="to"/>) counted over its whole days in the
    /// zone: @wholeFrom, the first midnight at or after <paramref name="from"/>, @wholeTo, the last at or before
    /// <paramref name="to"/> (@wholeFrom when there is none), and <see cref="Within"/>'s for the days between. The rest is
    /// read from rows (<see cref="DayPartsOf"/>).
    /// </summary>
    public static void AddWholeDaysInside(NpgsqlCommand c, DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        var first = IsMidnight(from, zone) ? from : BusinessTime.MidnightIn(BusinessTime.DayIn(from, zone).AddDays(1), zone);
        var last = BusinessTime.MidnightIn(BusinessTime.DayIn(to, zone), zone);
        ReportDatabase.Add(c, "wholeFrom", first);
        ReportDatabase.Add(c, "wholeTo", last > first ? last : first);
        AddWithin(c, first, last > first ? last : first, zone);
    }

    /// <summary>
    /// SQL: the parts of a day at either end of the window [<paramref name="from"/>, <paramref name="until"/>) (SQL
    /// instants) outside its whole days (<see cref="AddWholeDaysInside"/>), each as [Since, Until): with no whole day
    /// inside, @wholeTo is @wholeFrom, after the window's end, and all of it is the first.
    /// </summary>
    public static (string Since, string Until)[] DayPartsOf(string from, string until) => [(from, $"least(@wholeFrom, {until})"), ("@wholeTo", until)];

    /// <summary>SQL: the instant <paramref name="instant"/> lies between the midnight @dayStart the counters are read at (<see cref="NearestMidnight"/>) and @asOf, either side.</summary>
    public static string BetweenMidnightAndAsOf(string instant) => $"{instant} > least(@dayStart, @asOf) and {instant} <= {LaterOfMidnightAndAsOf}";

    /// <summary>SQL: the later of the midnight @dayStart the counters are read at and @asOf (what either counts happened by then).</summary>
    public const string LaterOfMidnightAndAsOf = "greatest(@dayStart, @asOf)";

    /// <summary>
    /// The parameters of a report that reads the dated counters at the midnight nearer to <paramref name="asOf"/>
    /// (<see cref="NearestMidnight"/>): that midnight as @dayStart, and the buckets before its day (<see cref="AddStateBefore"/>).
    /// </summary>
    public static void AddNearestMidnight(NpgsqlCommand c, DateTimeOffset asOf, TimeZoneInfo zone)
    {
        var midnight = NearestMidnight(asOf, zone);
        AddStateBefore(c, BusinessTime.DayIn(midnight, zone));
        ReportDatabase.Add(c, "dayStart", midnight);
    }

    /// <summary>
    /// The midnight a report at <paramref name="at"/> reads the dated counters at, to put them right by the changes
    /// between the two: the instant itself when it is one, else the nearer of its day's and the next day's.
    /// </summary>
    public static DateTimeOffset NearestMidnight(DateTimeOffset at, TimeZoneInfo zone)
    {
        var day = BusinessTime.DayIn(at, zone);
        var (begun, next) = (BusinessTime.MidnightIn(day, zone), BusinessTime.MidnightIn(day.AddDays(1), zone));
        return at - begun <= next - at ? begun : next;
    }

    /// <summary>The parameters of <see cref="Within"/> for the whole days [<paramref name="from"/>, <paramref name="to"/>) in the zone (either open).</summary>
    public static void AddWithin(NpgsqlCommand c, DateTimeOffset? from, DateTimeOffset? to, TimeZoneInfo zone) =>
        AddWithin(c, from is { } f ? BusinessTime.DayIn(f, zone) : DateOnly.MinValue, to is { } t ? BusinessTime.DayIn(t, zone) : DateOnly.MaxValue);

    /// <summary>The parameters of <see cref="Before(string)"/>: the day <paramref name="day"/>, and the first days of its year and month.</summary>
    public static void AddBefore(NpgsqlCommand c, DateOnly day)
    {
        c.Parameters.AddWithValue("day", day);
        c.Parameters.AddWithValue("dayYear", new DateOnly(day.Year, 1, 1));
        c.Parameters.AddWithValue("dayMonth", new DateOnly(day.Year, day.Month, 1));
    }

    /// <summary>
    /// The parameters of <see cref="StateBefore"/>: the day, and whether to read it from its year's end (fewer buckets:
    /// its year's, the months after its own and the days of its month from it on, against the months and days before it).
    /// </summary>
    public static void AddStateBefore(NpgsqlCommand c, DateOnly day)
    {
        AddBefore(c, day);
        c.Parameters.AddWithValue("nextYear", day.Year == 9999 ? DateOnly.MaxValue : new DateOnly(day.Year + 1, 1, 1));
        c.Parameters.AddWithValue("nextMonth", day >= new DateOnly(9999, 12, 1) ? DateOnly.MaxValue : new DateOnly(day.Year, day.Month, 1).AddMonths(1));
        var fromStart = (day.Month - 1) + (day.Day - 1);
        var fromEnd = 1 + (12 - day.Month) + (DateTime.DaysInMonth(day.Year, day.Month) - day.Day + 1);
        c.Parameters.AddWithValue("fromEnd", fromEnd < fromStart);
    }
}
