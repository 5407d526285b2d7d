using Funnel.Host.Reports;
using Funnel.Host.Tenancy;

namespace Funnel.Host.Events;

[Tags("Events"), RequiresScope(Scopes.EventsRead)]
public static class GetEventsEndpoint
{
    /// <summary>The caller's tenant's raw events as NDJSON, streamed in the store's order; resume after the last line's cursor.</summary>
    [WolverineGet("/api/events", OperationId = "getEvents", Summary = "The raw events as NDJSON (one JSON object a line) in the store's order; resume with after = the last line's cursor.")]
    [Takes("pipelineId", "after", "limit")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "application/x-ndjson")]
    public static async Task<IResult> Get(HttpRequest http, EventExport export, EventCursors cursors, TimeProvider clock, CancellationToken ct)
    {
        var (q, tenant) = (new ReportRequest(http, clock), CallerTenant.Of(http.HttpContext));
        var pipelineId = q.Text("pipelineId");
        var cursor = q.Text("after");
        var limit = q.Number("limit", 10_000, 1, EventExport.MaxLimit);
        var after = cursor is null ? 0 : await cursors.ReadAsync(tenant, cursor, ct);
        if (after is null)
        {
            q.Reject("after", "cursor", "after is a cursor this tenant's event feed or a report's freshness gave.");
        }

        if (q.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }

        return Results.Stream(async body => await export.WriteNdjsonAsync(body, tenant, pipelineId, after!.Value, limit, ct), "application/x-ndjson");
    }
}
