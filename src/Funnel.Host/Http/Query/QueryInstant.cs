using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Funnel.Host.Http.Query;

/// <summary>An ISO 8601 instant or date (2026-03-01, 2026-03-01T09:00:00Z) in business time's range, read as UTC.</summary>
public sealed class QueryInstant : QueryValue
{
    private readonly DateTimeOffset? value;

    private QueryInstant(string text)
        : base(text)
    {
        // An unescaped '+' in an offset arrives as a space.
        if (DateTimeOffset.TryParse(text.Trim().Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed.ToUniversalTime();
        }
    }

    public DateTimeOffset Value => value ?? throw new InvalidOperationException($"'{Text}' was refused as an instant.");

    public override JsonNode? Echo => value is { } at ? JsonValue.Create(at) : Text;

    public static bool TryParse(string? text, out QueryInstant? instant)
    {
        instant = Blank(text) ? null : new QueryInstant(text!);
        return true;
    }

    /// <summary>Two instants that bound a window: when both are given, the first may not lie after the second.</summary>
    public static Rejection? InOrder(QueryInstant? first, QueryInstant? second, string firstName, string secondName) =>
        first?.Value > second?.Value ? Rejection.Invalid(firstName, "range-order", $"{firstName} may not lie after {secondName}.") : null;

    public override Rejection? Check(string name, PropertyInfo property) =>
        value is not { } at ? Rejection.Invalid(name, "instant", $"{name} is an ISO 8601 instant such as 2026-03-01 or 2026-03-01T09:00:00Z.")
        : BusinessTime.IsInRange(at) ? null
        : BusinessTime.OutOfRange(name);
}
