using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Funnel.Domain.Activities;
using Funnel.Host.Http.Query;
using Funnel.Host.Reports;
using Funnel.Projections.Reports;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Funnel.Host.Activities;

/// <summary>The daily record: logging an activity, and a rep's day. The pipeline's activity reports are in <see cref="FunnelReportRoutes"/>.</summary>
public static class ActivityRoutes
{
    public const string Tag = "Activities";

    public static void MapActivityRoutes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/activities", LogAsync)
            .WithName("logActivity").WithSummary("Logs what a rep did (call, visit, email, meeting, demo, quote, task, note), on a deal's stream when it names one, else on the rep's. A repeated activityId answers as before.")
            .WithTags(Tag).Accepts<LogActivity>("application/json").Produces<ActivityAnswer>(StatusCodes.Status201Created).Produces<ActivityAnswer>(StatusCodes.Status200OK)
            .WithMetadata(new RefusesAttribute(StatusCodes.Status404NotFound), new RefusesAttribute(StatusCodes.Status409Conflict)).WithCommonRefusals(takesBody: true)
            .RequireAuthorization(Scopes.CommandsWrite);

        app.MapPost("/api/activities/batch", LogManyAsync)
            .WithName("logActivities").WithSummary("Logs up to 1,000 activities (a JSON array, or NDJSON) in one transaction, each accepted or refused on its own, and answers each in order.")
            .WithTags(Tag).Accepts<IReadOnlyList<LogActivity>>("application/json", Deals.Batches.BatchItems.NdjsonContentType).Produces<ActivityBatchAnswer>(StatusCodes.Status200OK)
            .WithMetadata(new Deals.Batches.BatchBodyAttribute()).WithCommonRefusals(takesBody: true)
            .RequireAuthorization(Scopes.CommandsWrite);

        app.MapGet("/api/reps/{rep}/diary", DiaryAsync)
            .WithName("getRepDiary").WithSummary("A rep's day (date, in the organisation's time zone; today by default): their activities, the stage moves, wins, losses and handovers on their deals, a page of each in order of time (pageSize of each, 100 by default), the deals those touched, and the whole day's totals.")
            .WithTags(Reps.RepRoutes.Tag).Produces<RepDiary>(StatusCodes.Status200OK)
            .TakesQuery<DiaryParameters>().WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.ReportsRead);
    }

    private static async Task<IResult> LogAsync(HttpRequest http, ActivityRecorder recorder, CancellationToken ct)
    {
        var (command, refusal) = await JsonBody.ReadAsync<LogActivity>(http, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var (answer, rejection) = await recorder.LogAsync(command!, ct);
        return rejection is not null ? Problems.From(rejection)
            : answer!.Created ? Results.Created($"/api/reps/{Uri.EscapeDataString(answer.Activity.Rep)}/diary?date={answer.Activity.OccurredAt:yyyy-MM-dd}", answer)
            : Results.Ok(answer);
    }

    private static async Task<IResult> LogManyAsync(HttpRequest http, ActivityRecorder recorder, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (elements, refusal) = await Deals.Batches.BatchItems.ReadElementsAsync(http, ct);
        if (refusal is not null)
        {
            return Problems.From(refusal);
        }

        // Each element read on its own: one that is not an activity is refused alone.
        var read = elements.Select(e => JsonBody.Read(e, typeof(LogActivity), json.Value.SerializerOptions)).ToList();
        var logged = await recorder.LogManyAsync([.. read.Select(r => r.Value).OfType<LogActivity>()], ct);
        var next = 0;
        return Results.Ok(ActivityBatchAnswer.Of(read.Select(r => r.Value is null ? (null, r.Refusal) : logged[next++])));
    }

    /// <summary>The day, and which page of its activities and of its moves (a busy day's rows come a page at a time).</summary>
    public sealed record DiaryParameters : IQueryParameters
    {
        public QueryDay? Date { get; init; }

        [Range(1, 1_000_000), DefaultValue("1")]
        public QueryNumber? Page { get; init; }

        [Range(1, 1000), DefaultValue("100")]
        public QueryNumber? PageSize { get; init; }
    }

    private static async Task<IResult> DiaryAsync(string rep, [AsParameters] DiaryParameters p, HttpContext http, ReportDatabase db, TimeProvider clock, Targets.OrganisationTime zone, CancellationToken ct)
    {
        var date = p.Date?.Value ?? Domain.BusinessTime.DayIn(clock.GetUtcNow(), zone.Zone);
        return await ReportAnswer.AnswerAsync(http, p, await RepDiary.RunAsync(db, new DiaryQuery(rep, date, zone.Zone, p.Page!.Value, p.PageSize!.Value), ct), db, ct);
    }
}
