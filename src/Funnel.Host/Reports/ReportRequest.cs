using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using Funnel.Domain.Pipelines;
using Funnel.Projections.Reports;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Reports;

/// <summary>
/// The query string every report shares, read strictly: a value that does not parse, a range that cannot hold, or a
/// parameter the report does not know is a 400 naming the parameter, never silently ignored. Everything read is echoed
/// back in the answer's "filters".
/// </summary>
public sealed partial class ReportRequest(HttpRequest request, TimeProvider clock)
{
    private readonly JsonObject echo = [];
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private Rejection? rejection;

    /// <summary>Why the request is refused: the first bad value, else the first parameter none of the reads asked for.</summary>
    public Rejection? Rejection => rejection ?? Unknown();

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    /// <summary>The organisation's time zone: where its days and periods begin (Funnel:TimeZone).</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    public ReportFilter Filter() => new(Many("owner"), Many("team"), Many("region"), Many("product"));

    public IReadOnlyList<string> Many(string name)
    {
        known.Add(name);
        var values = request.Query[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
        echo[name] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        return values;
    }

    public string? Text(string name)
    {
        known.Add(name);
        var value = request.Query[name].FirstOrDefault();
        echo[name] = value;
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public DateTimeOffset? Instant(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        // An unescaped '+' in an offset arrives as a space.
        if (!DateTimeOffset.TryParse(text.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            Reject(name, "instant", $"{name} is an ISO 8601 instant such as 2026-03-01 or 2026-03-01T09:00:00Z.");
            return null;
        }

        if (!BusinessTime.IsInRange(value))
        {
            rejection ??= BusinessTime.OutOfRange(name);
            return null;
        }

        echo[name] = value.ToUniversalTime();
        return value.ToUniversalTime();
    }

    /// <summary>A duration: 30d, 12h, 90m, or ISO 8601 (P30D).</summary>
    public TimeSpan? Duration(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (ParseDuration(text) is not { } duration)
        {
            Reject(name, "duration", $"{name} is a duration such as 30d, 12h, 90m or P30D.");
            return null;
        }

        if (duration <= TimeSpan.Zero || duration > BusinessTime.LongestDuration)
        {
            Reject(name, "duration-range", $"{name} is longer than 0 and at most {BusinessTime.LongestDuration.TotalDays:N0} days.");
            return null;
        }

        return duration;
    }

    /// <summary>A calendar day (2026-03-01): the organisation's days (diaries, days without a record).</summary>
    public DateOnly? Date(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || BusinessTime.CheckDate(day, name) is not null)
        {
            Reject(name, "date", $"{name} is a calendar date such as 2026-03-01, between {BusinessTime.Earliest:yyyy} and {BusinessTime.Latest:yyyy}.");
            return null;
        }

        return day;
    }

    /// <summary>Up to <paramref name="most"/> distinct values of an enumeration, comma-separated (groupBy=rep,day).</summary>
    public IReadOnlyList<T> Choices<T>(string name, T fallback, int most)
        where T : struct, Enum
    {
        var text = Text(name);
        if (text is null)
        {
            return [fallback];
        }

        var names = text.Split(',', StringSplitOptions.TrimEntries);
        var values = names.Select(n => Enum.TryParse<T>(n, ignoreCase: true, out var v) && Enum.IsDefined(v) ? v : (T?)null).ToList();
        if (values.Any(v => v is null) || values.Distinct().Count() != values.Count || values.Count > most)
        {
            Reject(name, "one-of", $"{name} is up to {most} of {string.Join(", ", Enum.GetNames<T>().Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))}, comma-separated, each once.");
            return [fallback];
        }

        return [.. values.Select(v => v!.Value)];
    }

    /// <summary>Two instants that bound a window: when both are given, the first may not lie after the second.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Window(string fromName, string toName)
    {
        var (from, to) = (Instant(fromName), Instant(toName));
        if (from > to)
        {
            Reject(fromName, "range-order", $"{fromName} may not lie after {toName}.");
        }

        return (from, to);
    }

    /// <summary>A required target period (2026-03, 2026-Q1, 2026).</summary>
    public Domain.Targets.TargetPeriod? Period(string name)
    {
        var (period, refused) = Domain.Targets.TargetPeriod.Parse(Text(name));
        if (refused is not null)
        {
            Reject(name, refused.Rule, refused.Message);
        }

        return period;
    }

    /// <summary>
    /// Which stage probabilities weigh: the definition in force at the instant (asOf, the default), today's (current), or
    /// the win rates observed by then (observed).
    /// </summary>
    public Weights Probabilities()
    {
        var text = Text("probabilities");
        if (text is not null and not "current" and not "asOf" and not "observed")
        {
            Reject("probabilities", "one-of", "probabilities is asOf (the definition in force then, the default), current or observed.");
        }

        return text switch { "current" => Weights.Current, "observed" => Weights.Observed, _ => Weights.AsOf };
    }

    private static TimeSpan? ParseDuration(string text)
    {
        try
        {
            var shorthand = DurationShorthand().Match(text);
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

    public bool Flag(string name)
    {
        var text = Text(name);
        if (text is null or "false" or "0")
        {
            return false;
        }

        if (text is "true" or "1")
        {
            return true;
        }

        Reject(name, "boolean", $"{name} is true or false.");
        return false;
    }

    public T Choice<T>(string name, T fallback)
        where T : struct, Enum
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        Reject(name, "one-of", $"{name} is one of {string.Join(", ", Enum.GetNames<T>().Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))}.");
        return fallback;
    }

    public int Number(string name, int fallback, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Reject(name, "range", $"{name} is a whole number from {min} to {max}.");
        return fallback;
    }

    public void Reject(string field, string rule, string message) => rejection ??= Domain.Rejection.Invalid(field, rule, message);

    private Rejection? Unknown() =>
        request.Query.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown
            ? Domain.Rejection.Invalid(unknown, "unknown-parameter", $"This request takes no parameter '{unknown}'{(known.Count == 0 ? "" : $"; it takes {string.Join(", ", known.Order(StringComparer.Ordinal))}")}.")
            : null;

    /// <summary>The pipeline's current definition, or a 404 rejection.</summary>
    private async Task<Pipeline?> PipelineAsync(IQuerySession session, string pipelineId, CancellationToken ct)
    {
        var pipeline = await session.LoadAsync<Pipeline>(pipelineId, ct);
        if (pipeline is null)
        {
            rejection ??= Domain.Rejection.NotFound("pipelineId", "unknown-pipeline", $"There is no pipeline '{pipelineId}'.");
        }

        return pipeline;
    }

    /// <summary>Runs a report of a pipeline (given its stage order) unless the request or the pipeline was refused.</summary>
    public async Task<IResult> RespondAsync(IQuerySession session, string pipelineId, ReportDatabase db, Func<IReadOnlyList<string>, Task<object>> run, CancellationToken ct)
    {
        var pipeline = await PipelineAsync(session, pipelineId, ct);
        return Rejection is { } refused
            ? Problems.From(refused)
            : await AnswerAsync(await run(pipeline!.Stages.Select(s => s.Id).ToList()), db, ct);
    }

    /// <summary>The report's JSON with the filters echoed and its freshness.</summary>
    public async Task<IResult> AnswerAsync(object report, ReportDatabase db, CancellationToken ct)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var json = JsonSerializer.SerializeToNode(report, report.GetType(), options)!.AsObject();
        json["filters"] = echo;
        var cursors = request.HttpContext.RequestServices.GetRequiredService<Events.EventCursors>();
        json["freshness"] = JsonSerializer.SerializeToNode(await ReportFreshness.ReadAsync(db, cursors, ct), options);
        return Results.Json(json, options);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([dhm])$")]
    private static partial Regex DurationShorthand();
}
