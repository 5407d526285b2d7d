using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Funnel.Host.Http.Query;
using Funnel.Host.Tenancy;

namespace Funnel.Host.Events;

/// <summary>The caller's tenant's raw events as NDJSON, streamed in the store's order; resume after the last line's cursor.</summary>
public static class GetEventsEndpoint
{
    public sealed record Parameters : IQueryParameters
    {
        public string? PipelineId { get; init; }

        public string? After { get; init; }

        [Range(1, EventExport.MaxLimit), DefaultValue("10000")]
        public QueryNumber? Limit { get; init; }
    }

    public static void MapGetEvents(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/events", GetAsync)
            .TakesQuery<Parameters>()
            .WithName("getEvents").WithSummary("The raw events as NDJSON (one JSON object a line) in the store's order; resume with after = the last line's cursor.")
            .WithTags("Events").Produces<string>(StatusCodes.Status200OK, "application/x-ndjson").WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.EventsRead);

    private static async Task<IResult> GetAsync([AsParameters] Parameters p, HttpContext http, EventExport export, EventCursors cursors, CancellationToken ct)
    {
        var tenant = CallerTenant.Of(http);
        var after = p.After is null ? 0 : await cursors.ReadAsync(tenant, p.After, ct);
        return after is null
            ? Problems.From(Rejection.Invalid("after", "cursor", "after is a cursor this tenant's event feed or a report's freshness gave."))
            : Results.Stream(async body => await export.WriteNdjsonAsync(body, tenant, p.PipelineId, after.Value, p.Limit!.Value, ct), "application/x-ndjson");
    }
}
