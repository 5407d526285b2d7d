namespace Funnel.Domain;

/// <summary>Rules about business time (occurredAt, asOf, windows), shared by every command and report.</summary>
public static class BusinessTime
{
    /// <summary>Callers' clocks drift; anything further ahead than this is a mistake, and would block every later command.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The instants Funnel accepts. Sales history older than 1900 is a typo, and both ends keep date arithmetic
    /// (a week before, 30 days after) clear of what .NET and PostgreSQL can hold.
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The longest duration a report accepts (a window or a "within"): a century.</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(36_525);

    /// <summary>The instant a calendar day begins in a time zone: where the organisation's days and periods start.</summary>
    public static DateTimeOffset MidnightIn(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The calendar day an instant falls on in a time zone.</summary>
    public static DateOnly DayIn(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    public static bool IsInTheFuture(DateTimeOffset at, DateTimeOffset now) => at > now + AllowedSkew;

    public static bool IsInRange(DateTimeOffset at) => at >= Earliest && at < Latest;

    /// <summary>The rejection of a command's occurredAt, if any: never before <see cref="Earliest"/>, never in the future.</summary>
    public static Rejection? CheckOccurredAt(DateTimeOffset at, DateTimeOffset now) =>
        IsInTheFuture(at, now) ? FutureRejection
        : at < Earliest ? OutOfRange("occurredAt")
        : null;

    /// <summary>A calendar date (an expected close) within the same bounds as instants.</summary>
    public static Rejection? CheckDate(DateOnly? date, string field) =>
        date is { } d && !IsInRange(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) ? OutOfRange(field) : null;

    public static Rejection FutureRejection { get; } =
        Rejection.Invalid("occurredAt", "not-in-future", $"occurredAt may not lie more than {AllowedSkew.TotalMinutes} minutes in the future.");

    public static Rejection OutOfRange(string field) =>
        Rejection.Invalid(field, "instant-range", $"{field} lies between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");

    public static Rejection BeforeLatest(DateTimeOffset latest) =>
        Rejection.Conflict("occurredAt", "occurred-at-order", $"occurredAt may not precede the latest event already recorded ({latest:O}).");
}
