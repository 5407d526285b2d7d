using System.Globalization;
using System.Reflection;

namespace Funnel.Host.Http.Query;

/// <summary>A calendar day (2026-03-01): the organisation's days (diaries, days without a record).</summary>
public sealed class QueryDay : QueryValue
{
    private readonly DateOnly? value;

    private QueryDay(string text)
        : base(text)
    {
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = day;
        }
    }

    public DateOnly Value => value ?? throw new InvalidOperationException($"'{Text}' was refused as a day.");

    public static bool TryParse(string? text, out QueryDay? day)
    {
        day = Blank(text) ? null : new QueryDay(text!);
        return true;
    }

    public override Rejection? Check(string name, PropertyInfo property) =>
        value is { } day && BusinessTime.CheckDate(day, name) is null ? null
            : Rejection.Invalid(name, "date", $"{name} is a calendar date such as 2026-03-01, between {BusinessTime.Earliest:yyyy} and {BusinessTime.Latest:yyyy}.");
}
