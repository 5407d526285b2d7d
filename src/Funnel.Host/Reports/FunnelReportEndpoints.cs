using Funnel.Host.Http;
using Funnel.Host.Http.OpenApi;
using Funnel.Projections.Reports;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Reports;

/// <summary>The funnel reports: thin readers of the read models, one query each. Times default to now.</summary>
[Tags("Reports")]
[Refuses(StatusCodes.Status404NotFound)]
public static class FunnelReportEndpoints
{
    [WolverineGet("/api/funnel/{pipelineId}/conversion", OperationId = "conversion", Summary = "Stage conversion: of the deals that first entered each stage (in [from, to) when given), how many went further, won, lost or are open at asOf.")]
    [Takes("owner", "team", "region", "product", "from", "to", "asOf", "within", "explain")]
    [ProducesResponseType<ConversionReport>(StatusCodes.Status200OK)]
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

    [WolverineGet("/api/funnel/{pipelineId}/dwell", OperationId = "dwell", Summary = "Dwell: how long deals stay in each stage (completed stays: count, mean, p50, p90, max; open stays: count and median age).")]
    [Takes("owner", "team", "region", "product", "from", "to", "asOf", "explain")]
    [ProducesResponseType<DwellReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Dwell(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
        var query = new DwellQuery(pipelineId, filter, from, to, q.Instant("asOf") ?? q.Now, q.Flag("explain"));
        query = query with { AsItStands = query is { From: null, To: null, Explain: false } };
        return await q.RespondAsync(session, pipelineId, db, async stages => await DwellReport.RunAsync(db, query, stages, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/forecast", OperationId = "forecast", Summary = "Forecast: the open deals at asOf, their amounts weighted by their stage's win probability, grouped.")]
    [Takes("probabilities", "owner", "team", "region", "product", "groupBy", "asOf", "explain")]
    [ProducesResponseType<ForecastReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Forecast(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (current, filter, groupBy, asOf) = (q.CurrentProbabilities(), q.Filter(), q.Choice("groupBy", ForecastGrouping.Stage), q.Instant("asOf"));
        var query = new ForecastQuery(pipelineId, filter, groupBy, asOf ?? q.Now, current, q.Flag("explain")) { Now = asOf is null };
        return await q.RespondAsync(session, pipelineId, db, async _ => await ForecastReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/snapshot", OperationId = "snapshot", Summary = "Snapshot: the funnel as it stood at asOf (as known at knownAt): count, amount and weighted amount per stage, won and lost.")]
    [Takes("owner", "team", "region", "product", "asOf", "knownAt", "probabilities", "explain")]
    [ProducesResponseType<SnapshotReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Snapshot(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, asOf, knownAt, explain) = (q.Filter(), q.Instant("asOf"), q.Instant("knownAt"), q.Flag("explain"));
        var query = new SnapshotQuery(pipelineId, filter, asOf ?? q.Now, knownAt ?? q.Now, q.CurrentProbabilities(), explain) { AsItStands = asOf is null && knownAt is null && !explain };
        return await q.RespondAsync(session, pipelineId, db, async stages => await SnapshotReport.RunAsync(db, query, stages, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/velocity", OperationId = "velocity", Summary = "Velocity: deals open at the window's end, wins and losses in [from, to), average won amount and cycle days.")]
    [Takes("owner", "team", "region", "product", "from", "to", "explain")]
    [ProducesResponseType<VelocityReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Velocity(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
        var query = new VelocityQuery(pipelineId, filter, from, to ?? q.Now, q.Flag("explain")) { ToNow = to is null };
        return await q.RespondAsync(session, pipelineId, db, async _ => await VelocityReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/losses", OperationId = "losses", Summary = "Losses: deals lost (in [from, to) when given) by reason, most frequent first.")]
    [Takes("owner", "team", "region", "product", "from", "to", "explain")]
    [ProducesResponseType<LossesReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Losses(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (from, to)) = (q.Filter(), q.Window("from", "to"));
        var query = new LossesQuery(pipelineId, filter, from, to, q.Flag("explain"));
        return await q.RespondAsync(session, pipelineId, db, async _ => await LossesReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/stalled", OperationId = "stalled", Summary = "Stalled: open deals past their stage's maximum days at asOf, longest overdue first, paged.")]
    [Takes("owner", "team", "region", "product", "asOf", "page", "pageSize")]
    [ProducesResponseType<StalledReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Stalled(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var query = new StalledQuery(pipelineId, q.Filter(), q.Instant("asOf") ?? q.Now, q.Number("page", 1, 1, 1_000_000), q.Number("pageSize", 50, 1, 500)) { AsItStands = true };
        return await q.RespondAsync(session, pipelineId, db, async _ => await StalledReport.RunAsync(db, query, ct), ct);
    }

    [WolverineGet("/api/funnel/{pipelineId}/changes", OperationId = "changes", Summary = "Changes: what moved in [since, until): entries and exits per stage, wins, losses and amount changes.")]
    [Takes("owner", "team", "region", "product", "since", "until", "explain")]
    [ProducesResponseType<ChangesReport>(StatusCodes.Status200OK)]
    public static async Task<IResult> Changes(string pipelineId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var (filter, (since, until)) = (q.Filter(), q.Window("since", "until"));
        var end = until ?? q.Now;
        var query = new ChangesQuery(pipelineId, filter, since ?? end.AddDays(-7), end, q.Flag("explain"));
        return await q.RespondAsync(session, pipelineId, db, async stages => await ChangesReport.RunAsync(db, query, stages, ct), ct);
    }
}
