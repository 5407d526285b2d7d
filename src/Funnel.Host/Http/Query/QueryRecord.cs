using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Funnel.Host.Http.Query;

/// <summary>
/// What an endpoint reads from the query string: a record of typed properties, bound by ASP.NET Core
/// (<c>[AsParameters]</c>), checked by <see cref="QueryRecord"/>, and described in the OpenAPI document, all from its
/// properties. A property's parameter is its camel-cased name.
/// </summary>
public interface IQueryParameters
{
    /// <summary>A rule across parameters (a window's order), once each value has been read.</summary>
    Rejection? Check() => null;
}

/// <summary>One query parameter of a record.</summary>
public sealed record QueryParameter(string Name, PropertyInfo Property)
{
    public bool Required => Property.IsDefined(typeof(RequiredAttribute));

    /// <summary>The default, as a query would give it ([DefaultValue("50")]: the framework describes it as the bound type, text).</summary>
    public string? Default => Property.GetCustomAttribute<DefaultValueAttribute>()?.Value as string;
}

/// <summary>
/// The query parameters of a record type, and the one check every endpoint's query string goes through: each value
/// reads as its type says, the record's own rule holds, and no parameter is given that the record does not take (a
/// misspelt asof is refused, never ignored). Then blanks are dropped, an absent list is empty, and defaults stand in for what is absent.
/// </summary>
public static class QueryRecord
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<QueryParameter>> Known = new();

    /// <summary>The record's parameters, its base records' first, each in declaration order.</summary>
    public static IReadOnlyList<QueryParameter> Parameters(Type record) => Known.GetOrAdd(record, type =>
    [
        .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.Name != "EqualityContract")
            .OrderBy(p => Depth(p.DeclaringType!)).ThenBy(p => p.MetadataToken)
            .Select(p => new QueryParameter(JsonNamingPolicy.CamelCase.ConvertName(p.Name), p)),
    ]);

    /// <summary>Why the query is refused, if it is; otherwise readies <paramref name="record"/> for use (blanks dropped, defaults in).</summary>
    public static Rejection? Accept(IQueryParameters record, IQueryCollection query)
    {
        var parameters = Parameters(record.GetType());
        foreach (var parameter in parameters)
        {
            var refused = parameter.Property.GetValue(record) switch
            {
                QueryValue value => value.Check(parameter.Name, parameter.Property),
                null when parameter.Required => Rejection.Invalid(parameter.Name, "required", $"{parameter.Name} is required."),
                _ => null,
            };
            if (refused is not null)
            {
                return refused;
            }
        }

        if (record.Check() is { } rule)
        {
            return rule;
        }

        if (query.Keys.FirstOrDefault(k => parameters.All(p => p.Name != k)) is { } unknown)
        {
            var takes = string.Join(", ", parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
            return Rejection.Invalid(unknown, "unknown-parameter", $"This request takes no parameter '{unknown}'{(parameters.Count == 0 ? "" : $"; it takes {takes}")}.");
        }

        foreach (var parameter in parameters)
        {
            parameter.Property.SetValue(record, Ready(parameter, parameter.Property.GetValue(record)));
        }

        return null;
    }

    /// <summary>What a report's "filters" echo: each parameter as given (absent ones null, lists as their values).</summary>
    public static JsonObject Echo(IQueryParameters record)
    {
        var echo = new JsonObject();
        foreach (var parameter in Parameters(record.GetType()))
        {
            echo[parameter.Name] = parameter.Property.GetValue(record) switch
            {
                QueryValue value => value.Echo,
                string[] values => new JsonArray([.. values.Select(v => JsonValue.Create(v))]),
                string text => text,
                _ => null,
            };
        }

        return echo;
    }

    private static object? Ready(QueryParameter parameter, object? value) => value switch
    {
        string[] values => values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToArray(),
        string text => string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
        null when parameter.Property.PropertyType == typeof(string[]) => Array.Empty<string>(),
        null when parameter.Default is { } fallback => DefaultOf(parameter.Property.PropertyType, fallback),
        _ => value,
    };

    /// <summary>The default, read as if the query had given it, standing in for an absent value.</summary>
    private static object? DefaultOf(Type type, string fallback)
    {
        var arguments = new object?[] { fallback, null };
        type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()])!.Invoke(null, arguments);
        (arguments[1] as QueryValue)?.StandInForAbsent();
        return arguments[1];
    }

    private static int Depth(Type type) => type.BaseType is { } parent ? Depth(parent) + 1 : 0;
}
