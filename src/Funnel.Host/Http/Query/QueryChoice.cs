using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;

namespace Funnel.Host.Http.Query;

/// <summary>One value of an enumeration, by its camel-cased name (groupBy=closeMonth).</summary>
public sealed class QueryChoice<T> : QueryValue
    where T : struct, Enum
{
    private readonly T? value;

    private QueryChoice(string text)
        : base(text) => value = QueryChoices<T>.Named(text.Trim());

    public T Value => value ?? throw new InvalidOperationException($"'{Text}' was refused as a {typeof(T).Name}.");

    public static bool TryParse(string? text, out QueryChoice<T>? choice)
    {
        choice = Blank(text) ? null : new QueryChoice<T>(text!);
        return true;
    }

    public override Rejection? Check(string name, PropertyInfo property) =>
        value is null ? Rejection.Invalid(name, "one-of", $"{name} is one of {string.Join(", ", QueryChoices<T>.Names)}.") : null;
}

/// <summary>Distinct values of an enumeration, comma-separated (groupBy=rep,day), at most the property's <see cref="MaxLengthAttribute"/>.</summary>
public sealed class QueryChoices<T> : QueryValue
    where T : struct, Enum
{
    private readonly IReadOnlyList<T?> values;

    private QueryChoices(string text)
        : base(text) => values = [.. text.Split(',', StringSplitOptions.TrimEntries).Select(Named)];

    /// <summary>The names a query gives the values by.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName)];

    public IReadOnlyList<T> Value => [.. values.Select(v => v ?? throw new InvalidOperationException($"'{Text}' was refused as {typeof(T).Name} values."))];

    public static bool TryParse(string? text, out QueryChoices<T>? choices)
    {
        choices = Blank(text) ? null : new QueryChoices<T>(text!);
        return true;
    }

    public override Rejection? Check(string name, PropertyInfo property)
    {
        var most = property.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? Names.Count;
        return values.Any(v => v is null) || values.Distinct().Count() != values.Count || values.Count > most
            ? Rejection.Invalid(name, "one-of", $"{name} is up to {most} of {string.Join(", ", Names)}, comma-separated, each once.")
            : null;
    }

    internal static T? Named(string name) => Enum.TryParse<T>(name, ignoreCase: true, out var v) && Enum.IsDefined(v) && !int.TryParse(name, out _) ? v : null;
}
