using Funnel.Host.Reports;
using Funnel.Host.Tenancy;

namespace Funnel.Host.Events;

[Tags("Events"), RequiresScope(Scopes.EventsRead)]
public static class GetEventsEndpoint
{
    /// <summary>The caller's tenant's raw events as NDJSON, streamed in sequence order from fromSequence; resume with the last sequence + 1.</summary>
    [WolverineGet("/api/events", OperationId = "getEvents", Summary = "The raw events as NDJSON (one JSON object a line) in sequence order; resume with the last sequence + 1.")]
    [Takes("pipelineId", "fromSequence", "limit")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "application/x-ndjson")]
    public static async Task<IResult> Get(HttpRequest http, EventExport export, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var pipelineId = q.Text("pipelineId");
        var from = q.Number("fromSequence", 1, 0, int.MaxValue);
        var limit = q.Number("limit", 10_000, 1, EventExport.MaxLimit);
        if (q.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }

        return Results.Stream(async body => await export.WriteNdjsonAsync(body, CallerTenant.Of(http.HttpContext), pipelineId, from, limit, ct), "application/x-ndjson");
    }
}
