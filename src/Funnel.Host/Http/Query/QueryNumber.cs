using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace Funnel.Host.Http.Query;

/// <summary>A whole number within the <see cref="RangeAttribute"/> its property declares.</summary>
public sealed class QueryNumber : QueryValue
{
    private readonly int? value;

    private QueryNumber(string? text)
        : base(text)
    {
        if (int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
    }

    public int Value => value ?? throw new InvalidOperationException($"'{Text}' was refused as a number.");

    public static bool TryParse(string? text, out QueryNumber? number)
    {
        number = Blank(text) ? null : new QueryNumber(text);
        return true;
    }

    public override Rejection? Check(string name, PropertyInfo property)
    {
        var range = property.GetCustomAttribute<RangeAttribute>() ?? new RangeAttribute(int.MinValue, int.MaxValue);
        return value is { } n && range.IsValid(n) ? null : Rejection.Invalid(name, "range", $"{name} is a whole number from {range.Minimum:N0} to {range.Maximum:N0}.");
    }
}
