using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml;

namespace Funnel.Host.Http.Query;

/// <summary>A duration: 30d, 12h, 90m, or ISO 8601 (P30D); longer than 0 and at most business time's longest.</summary>
public sealed partial class QueryDuration : QueryValue
{
    private readonly TimeSpan? value;

    private QueryDuration(string text)
        : base(text) => value = Parse(text.Trim());

    public TimeSpan Value => value ?? throw new InvalidOperationException($"'{Text}' was refused as a duration.");

    public static bool TryParse(string? text, out QueryDuration? duration)
    {
        duration = Blank(text) ? null : new QueryDuration(text!);
        return true;
    }

    public override Rejection? Check(string name, PropertyInfo property) =>
        value is not { } span ? Rejection.Invalid(name, "duration", $"{name} is a duration such as 30d, 12h, 90m or P30D.")
        : span <= TimeSpan.Zero || span > BusinessTime.LongestDuration
            ? Rejection.Invalid(name, "duration-range", $"{name} is longer than 0 and at most {BusinessTime.LongestDuration.TotalDays:N0} days.")
        : null;

    private static TimeSpan? Parse(string text)
    {
        try
        {
            var shorthand = Shorthand().Match(text);
            if (!shorthand.Success)
            {
                return XmlConvert.ToTimeSpan(text);
            }

            var n = double.Parse(shorthand.Groups[1].Value, CultureInfo.InvariantCulture);
            var unit = shorthand.Groups[2].Value;

            // Well-formed but longer than a TimeSpan holds: too long, not malformed.
            return n / (unit switch { "d" => 1, "h" => 24, _ => 1440 }) >= TimeSpan.MaxValue.TotalDays ? TimeSpan.MaxValue
                : unit switch { "d" => TimeSpan.FromDays(n), "h" => TimeSpan.FromHours(n), _ => TimeSpan.FromMinutes(n) };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([dhm])$")]
    private static partial Regex Shorthand();
}
