using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Funnel.Host.Dashboard;

/// <summary>
/// What the manager is looking at, all of it in the page's URL so a view can be shared or reloaded: the pipeline, the
/// business instant (a day; none is now), whether as it was known then, the filters, and the start of "what moved".
/// </summary>
public sealed record DashboardView(string Pipeline, DateOnly? AsOf, bool KnownThen, string? Owner, string? Team, string? Region, string? Product, DateOnly? Since)
{
    public const string DefaultPipeline = "sales";

    /// <summary>The organisation's time zone (Funnel:TimeZone): where the view's days begin and end.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    public static DashboardView From(IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> query, TimeZoneInfo zone)
    {
        string? Text(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        DateOnly? Day(string name) => DateOnly.TryParseExact(Text(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        return new DashboardView(Text("pipeline") ?? DefaultPipeline, Day("asOf"), Text("known") == "then", Text("owner"), Text("team"), Text("region"), Text("product"), Day("since")) { Zone = zone };
    }

    /// <summary>The filters as the reports take them.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Filters =>
        new[] { ("owner", Owner), ("team", Team), ("region", Region), ("product", Product) }
            .Where(f => f.Item2 is not null).Select(f => KeyValuePair.Create(f.Item1, f.Item2));

    /// <summary>The instant the reports answer for: the end of the chosen day (it includes that day) in the organisation's zone.</summary>
    public string? AsOfInstant => AsOf is { } day ? Instant(day.AddDays(1)) : null;

    /// <summary>
    /// "As known then": answered from the events recorded by the view's instant. The snapshot and the forecast take it; the
    /// other panels show the history at that business instant as it is known today, and say so.
    /// </summary>
    public string? KnownAtInstant => KnownThen ? AsOfInstant : null;

    /// <summary>A report of this pipeline at this view's business instant, with the filters.</summary>
    public string At(string report, params (string Name, string? Value)[] extra) => Over(report, [("asOf", AsOfInstant), .. extra]);

    /// <summary>A report of this pipeline with the filters and the given parameters (those left null are left out).</summary>
    public string Over(string report, params (string Name, string? Value)[] extra) => Unfiltered(report, [.. Filters.Select(f => (f.Key, f.Value)), .. extra]);

    /// <summary>A report of this pipeline with only the given parameters (for a report that takes no filters).</summary>
    public string Unfiltered(string report, params (string Name, string? Value)[] parameters) =>
        QueryHelpers.AddQueryString($"/api/funnel/{Uri.EscapeDataString(Pipeline)}/{report}", parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Name, p.Value)));

    /// <summary>The view as its URL's query string holds it: only what differs from the defaults.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Parameters => new[]
    {
        KeyValuePair.Create("pipeline", Pipeline == DefaultPipeline ? null : Pipeline),
        KeyValuePair.Create("asOf", AsOf is { } asOf ? IsoDay(asOf) : null),
        KeyValuePair.Create("known", KnownThen ? "then" : null),
        KeyValuePair.Create("since", Since is { } since ? IsoDay(since) : null),
    }.Concat(Filters).Where(p => p.Value is not null);

    /// <summary>This view's own URL (what the address bar shows).</summary>
    public string Url => QueryHelpers.AddQueryString("/", Parameters);

    /// <summary>A day as URLs, date inputs and the reports' day parameters write it: 2026-03-01.</summary>
    public static string IsoDay(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>When a day begins in the organisation's zone, as a report's query takes it.</summary>
    public string Instant(DateOnly day) => Funnel.Domain.BusinessTime.MidnightIn(day, Zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Today in the organisation's zone.</summary>
    public DateOnly Today(DateTimeOffset now) => Funnel.Domain.BusinessTime.DayIn(now, Zone);
}
