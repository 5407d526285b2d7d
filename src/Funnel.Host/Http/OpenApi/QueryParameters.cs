using Microsoft.OpenApi;

namespace Funnel.Host.Http.OpenApi;

/// <summary>A query parameter as the OpenAPI document describes it; <see cref="Key"/> tells apart one name read two ways (groupBy).</summary>
public sealed record QueryParameter(
    string Name, JsonSchemaType Type, string Description, string? Format = null, string? Default = null, string[]? Allowed = null,
    bool Repeatable = false, int? Minimum = null, int? Maximum = null, string? Key = null);

/// <summary>
/// Every query parameter an endpoint reads, described once; an endpoint lists the ones it takes with <see cref="TakesAttribute"/>.
/// The reports echo what they read in "filters", and a test holds the two lists equal.
/// </summary>
public static class QueryParameters
{
    private const string Instant = "An ISO 8601 instant or date (2026-03-01, 2026-03-01T09:00:00Z), between 1900 and 3000.";

    public static readonly IReadOnlyDictionary<string, QueryParameter> All = new QueryParameter[]
    {
        new("owner", JsonSchemaType.String, "Only deals of these reps (repeat the parameter for several).", Repeatable: true),
        new("team", JsonSchemaType.String, "Only deals of these teams (repeatable).", Repeatable: true),
        new("region", JsonSchemaType.String, "Only deals of these regions (repeatable).", Repeatable: true),
        new("product", JsonSchemaType.String, "Only deals of these products (repeatable).", Repeatable: true),
        new("from", JsonSchemaType.String, $"Start of the window, inclusive. {Instant}", "date-time"),
        new("to", JsonSchemaType.String, $"End of the window, exclusive; not before from. {Instant}", "date-time"),
        new("since", JsonSchemaType.String, $"Start of the window, inclusive; default 7 days before until. {Instant}", "date-time"),
        new("until", JsonSchemaType.String, $"End of the window, exclusive; default now. {Instant}", "date-time"),
        new("asOf", JsonSchemaType.String, $"The instant of business time to answer at; default now. {Instant}", "date-time"),
        new("knownAt", JsonSchemaType.String, $"Count only what had been recorded by this instant (recorded time); default now. {Instant}", "date-time"),
        new("within", JsonSchemaType.String, "Count an advance only if it came within this long of the entry: 30d, 12h, 90m or ISO 8601 (P30D); up to 36,525 days.", "duration"),
        new("explain", JsonSchemaType.Boolean, "List the deals behind each number.", Default: "false"),
        new("groupBy", JsonSchemaType.String, "How to group the open deals.", Default: "stage", Allowed: ["stage", "owner", "team", "region", "product", "closeMonth"]),
        new("probabilities", JsonSchemaType.String, "Weigh with the pipeline definition in force at asOf, with today's, or with the win rates observed by asOf (see calibration).", Default: "asOf", Allowed: ["asOf", "current", "observed"]),
        new("period", JsonSchemaType.String, "The target period: a month (2026-03), a quarter (2026-Q1) or a year (2026), in the organisation's time zone."),
        new("page", JsonSchemaType.Integer, "Page number, from 1.", Default: "1", Minimum: 1, Maximum: 1_000_000),
        new("pageSize", JsonSchemaType.Integer, "Items per page.", Default: "50", Minimum: 1, Maximum: 500),
        new("status", JsonSchemaType.String, "Only deals with this status.", Allowed: ["open", "won", "lost"]),
        new("stage", JsonSchemaType.String, "Only deals in this stage."),
        new("pipelineId", JsonSchemaType.String, "Only deals (or events) of this pipeline."),
        new("after", JsonSchemaType.String, "Only events after this cursor (an event line's, or a report's freshness); from the first event when omitted."),
        new("limit", JsonSchemaType.Integer, "At most this many events.", Default: "10000", Minimum: 1, Maximum: Events.EventExport.MaxLimit),
        new("groupBy", JsonSchemaType.String, "What to count by: rep, team, kind or day (a calendar day in the organisation's time zone); two, comma-separated, for a grid (rep,day).",
            Default: "rep", Key: ActivityGroupBy),
        new("kind", JsonSchemaType.String, "Only activities of these kinds (repeatable).", Allowed: [.. Domain.Activities.ActivityKinds.All], Repeatable: true),
        new("firstDay", JsonSchemaType.String, "The first calendar day (2026-03-02); default 4 weeks before lastDay.", "date"),
        new("lastDay", JsonSchemaType.String, "The last calendar day, inclusive (2026-03-27); default yesterday in the organisation's time zone.", "date"),
        new("weekends", JsonSchemaType.Boolean, "Count Saturdays and Sundays as days to record.", Default: "false"),
        new("untouched", JsonSchemaType.String, "How long without an activity makes a deal untouched: 14d, 36h or ISO 8601 (P14D).", "duration", Default: "14d"),
        new("date", JsonSchemaType.String, "The calendar day (2026-03-02) in the organisation's time zone; default today.", "date"),
    }.ToDictionary(p => p.Key ?? p.Name, StringComparer.Ordinal);

    /// <summary>The activity report's groupBy, which groups other things than the forecast's.</summary>
    public const string ActivityGroupBy = "groupBy:activity";

    /// <summary>The filters every report and list takes.</summary>
    public static readonly string[] Filters = ["owner", "team", "region", "product"];
}

/// <summary>The query parameters an endpoint takes, by name (see <see cref="QueryParameters"/>), for the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TakesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
