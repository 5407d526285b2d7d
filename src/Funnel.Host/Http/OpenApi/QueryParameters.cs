using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Funnel.Host.Http.Query;
using Microsoft.OpenApi;

namespace Funnel.Host.Http.OpenApi;

/// <summary>
/// The OpenAPI description of the query parameters an endpoint takes (<see cref="TakesAttribute"/>): each from its
/// record's property (type, format, bounds, default, allowed values) and the one description of its name here, or the
/// property's own [Description] where a name means something else there.
/// </summary>
public static class QueryParameters
{
    private const string Instant = "An ISO 8601 instant or date (2026-03-01, 2026-03-01T09:00:00Z), between 1900 and 3000.";

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["owner"] = "Only deals of these reps (repeat the parameter for several).",
        ["team"] = "Only deals of these teams (repeatable).",
        ["region"] = "Only deals of these regions (repeatable).",
        ["product"] = "Only deals of these products (repeatable).",
        ["from"] = $"Start of the window, inclusive. {Instant}",
        ["to"] = $"End of the window, exclusive; not before from. {Instant}",
        ["since"] = $"Start of the window, inclusive; default 7 days before until. {Instant}",
        ["until"] = $"End of the window, exclusive; default now. {Instant}",
        ["asOf"] = $"The instant of business time to answer at; default now. {Instant}",
        ["knownAt"] = $"Count only what had been recorded by this instant (recorded time); default now. {Instant}",
        ["within"] = "Count an advance only if it came within this long of the entry: 30d, 12h, 90m or ISO 8601 (P30D); up to 36,525 days.",
        ["explain"] = "List the deals behind each number.",
        ["groupBy"] = "How to group the open deals.",
        ["probabilities"] = "Weigh with the pipeline definition in force at asOf, with today's, or with the win rates observed by asOf (see calibration).",
        ["period"] = "The target period: a month (2026-03), a quarter (2026-Q1) or a year (2026), in the organisation's time zone.",
        ["page"] = "Page number, from 1.",
        ["pageSize"] = "Items per page.",
        ["status"] = "Only deals with this status.",
        ["stage"] = "Only deals in this stage.",
        ["pipelineId"] = "Only deals (or events) of this pipeline.",
        ["after"] = "Only events after this cursor (an event line's, or a report's freshness); from the first event when omitted.",
        ["limit"] = "At most this many events.",
        ["kind"] = $"Only activities of these kinds (repeatable): {string.Join(", ", Domain.Activities.ActivityKinds.All)}.",
        ["firstDay"] = "The first calendar day (2026-03-02); default 4 weeks before lastDay.",
        ["lastDay"] = "The last calendar day, inclusive (2026-03-27); default yesterday in the organisation's time zone.",
        ["weekends"] = "Count Saturdays and Sundays as days to record.",
        ["untouched"] = "How long without an activity makes a deal untouched: 14d, 36h or ISO 8601 (P14D).",
        ["date"] = "The calendar day (2026-03-02) in the organisation's time zone; default today.",
    };

    public static IEnumerable<OpenApiParameter> Of(Type record) => QueryRecord.Parameters(record).Select(p => new OpenApiParameter
    {
        Name = p.Name,
        In = ParameterLocation.Query,
        Required = p.Required,
        Description = p.Property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? Descriptions[p.Name],
        Schema = Schema(p),
        Style = p.Property.PropertyType == typeof(string[]) ? ParameterStyle.Form : null,
        Explode = p.Property.PropertyType == typeof(string[]),
    });

    private static OpenApiSchema Schema(QueryParameter parameter)
    {
        var type = parameter.Property.PropertyType;
        var range = parameter.Property.GetCustomAttribute<RangeAttribute>();
        var schema = type == typeof(string[]) ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } }
            : type == typeof(QueryFlag) ? new OpenApiSchema { Type = JsonSchemaType.Boolean }
            : type == typeof(QueryNumber) ? new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = Text(range?.Minimum), Maximum = Text(range?.Maximum) }
            : new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = type == typeof(QueryInstant) ? "date-time" : type == typeof(QueryDay) ? "date" : type == typeof(QueryDuration) ? "duration" : null,
                Enum = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(QueryChoice<>)
                    ? [.. ((IReadOnlyList<string>)typeof(QueryChoices<>).MakeGenericType(type.GetGenericArguments()).GetProperty("Names")!.GetValue(null)!).Select(n => (JsonNode)n)]
                    : null,
            };
        schema.Default = parameter.Default is not { } fallback ? null
            : schema.Type is JsonSchemaType.Integer or JsonSchemaType.Boolean ? JsonNode.Parse(fallback)
            : JsonValue.Create(fallback);
        return schema;
    }

    private static string? Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture);
}

/// <summary>The record an endpoint reads its query string as (see <see cref="QueryEndpoints.TakesQuery{T}"/>), for the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TakesAttribute(Type record) : Attribute
{
    public Type Record { get; } = record;
}
