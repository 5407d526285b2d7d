using Funnel.Host.Http;
using Funnel.Projections.Reports;
using Marten;
using Wolverine.Http;

namespace Funnel.Host.Reports;

/// <summary>The funnel reports: thin readers of the read models, one query each. Times default to now.</summary>
public static class FunnelReportEndpoints
{
    [WolverineGet("/api/funnel/{pipelineId}/conversion", OperationId = "conversion")]
    public static async Task<IResult> Conversion(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var filter = q.Filter();
        var (from, to) = q.Window("from", "to");
        var (asOf, within, explain) = (q.Instant("asOf"), q.Duration("within"), q.Flag("explain"));
        var query = new ConversionQuery(pipelineId, filter, from, to, asOf ?? q.Now, within, explain)
        {
            AsItStands = from is null && to is null && asOf is null && within is null && !explain,
        };
        return await q.RespondAsync(session, pipelineId, db, async stages => await ConversionReport.RunAsync(db, query, stages, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/dwell", OperationId = "dwell")]
    public static async Task<IResult> Dwell(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
        var query = new DwellQuery(pipelineId, filter, from, to, q.Instant("asOf") ?? q.Now, q.Flag("explain"));
        query = query with { AsItStands = query is { From: null, To: null, Explain: false } };
        return await q.RespondAsync(session, pipelineId, db, async stages => await DwellReport.RunAsync(db, query, stages, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/forecast", OperationId = "forecast")]
    public static async Task<IResult> Forecast(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (current, filter, groupBy, asOf) = (q.CurrentProbabilities(), q.Filter(), q.Choice("groupBy", ForecastGrouping.Stage), q.Instant("asOf"));
        var query = new ForecastQuery(pipelineId, filter, groupBy, asOf ?? q.Now, current, q.Flag("explain")) { Now = asOf is null };
        return await q.RespondAsync(session, pipelineId, db, async _ => await ForecastReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/snapshot", OperationId = "snapshot")]
    public static async Task<IResult> Snapshot(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, asOf, knownAt, explain) = (q.Filter(), q.Instant("asOf"), q.Instant("knownAt"), q.Flag("explain"));
        var query = new SnapshotQuery(pipelineId, filter, asOf ?? q.Now, knownAt ?? q.Now, q.CurrentProbabilities(), explain) { AsItStands = asOf is null && knownAt is null && !explain };
        return await q.RespondAsync(session, pipelineId, db, async stages => await SnapshotReport.RunAsync(db, query, stages, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/velocity", OperationId = "velocity")]
    public static async Task<IResult> Velocity(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
        var query = new VelocityQuery(pipelineId, filter, from, to ?? q.Now, q.Flag("explain")) { ToNow = to is null };
        return await q.RespondAsync(session, pipelineId, db, async _ => await VelocityReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/losses", OperationId = "losses")]
    public static async Task<IResult> Losses(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
        var query = new LossesQuery(pipelineId, filter, from, to, q.Flag("explain"));
        return await q.RespondAsync(session, pipelineId, db, async _ => await LossesReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/stalled", OperationId = "stalled")]
    public static async Task<IResult> Stalled(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var query = new StalledQuery(pipelineId, q.Filter(), q.Instant("asOf") ?? q.Now, q.Number("page", 1, 1, 1_000_000), q.Number("pageSize", 50, 1, 500)) { AsItStands = true };
        return await q.RespondAsync(session, pipelineId, db, async _ => await StalledReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/changes", OperationId = "changes")]
    public static async Task<IResult> Changes(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (since, until)) = (q.Filter(), q.Window("since", "until"));
        var end = until ?? q.Now;
        var query = new ChangesQuery(pipelineId, filter, since ?? end.AddDays(-7), end, q.Flag("explain"));
        return await q.RespondAsync(session, pipelineId, db, async stages => await ChangesReport.RunAsync(db, query, stages, ct), ct);
    }
}
