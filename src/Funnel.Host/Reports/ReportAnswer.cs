using System.Text.Json;
using Funnel.Domain.Pipelines;
using Funnel.Host.Http.Query;
using Funnel.Projections.Reports;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Options;

namespace Funnel.Host.Reports;

/// <summary>
/// A report's answer: its own fields, the "filters" its query string gave (echoed back, so a reader sees what was
/// read), and its freshness.
/// </summary>
public static class ReportAnswer
{
    /// <summary>Runs a report of a pipeline (given its stage order) unless the pipeline is unknown or the report refused its request.</summary>
    public static async Task<IResult> RespondAsync(HttpContext http, IQueryParameters query, ReportContext at, IQuerySession session, ReportDatabase db, Func<IReadOnlyList<string>, Task<object>> run, CancellationToken ct)
    {
        var pipeline = await session.LoadAsync<Pipeline>(at.PipelineId, ct);
        return pipeline is null ? Problems.From(Rejection.NotFound("pipelineId", "unknown-pipeline", $"There is no pipeline '{at.PipelineId}'."))
            : at.Rejection is { } refused ? Problems.From(refused)
            : await AnswerAsync(http, query, await run([.. pipeline.Stages.Select(s => s.Id)]), db, ct);
    }

    /// <summary>The report's JSON with the filters echoed and its freshness.</summary>
    public static async Task<IResult> AnswerAsync(HttpContext http, IQueryParameters query, object report, ReportDatabase db, CancellationToken ct)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var json = JsonSerializer.SerializeToNode(report, report.GetType(), options)!.AsObject();
        json["filters"] = QueryRecord.Echo(query);
        var cursors = http.RequestServices.GetRequiredService<Events.EventCursors>();
        json["freshness"] = JsonSerializer.SerializeToNode(await ReportFreshness.ReadAsync(db, cursors, ct), options);
        return Results.Json(json, options);
    }
}

/// <summary>
/// Where a report is asked: of which pipeline, at what instant (the default of its times), in which time zone (where
/// the organisation's days begin: Funnel:TimeZone). A rule that needs them (a default day) refuses here.
/// </summary>
public sealed class ReportContext(string pipelineId, DateTimeOffset now, TimeZoneInfo zone)
{
    public string PipelineId { get; } = pipelineId;

    public DateTimeOffset Now { get; } = now;

    public TimeZoneInfo Zone { get; } = zone;

    public Rejection? Rejection { get; private set; }

    public void Reject(string field, string rule, string message) => Rejection ??= Domain.Rejection.Invalid(field, rule, message);
}
