using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using Funnel.Host.Reports;
using Funnel.Projections.Reports;

namespace Funnel.Host.Deals;

[Tags("Deals"), RequiresScope(Scopes.ReportsRead)]
public static class GetDealEndpoint
{
    [WolverineGet("/api/deals/{dealId}", OperationId = "getDeal", Summary = "A deal as it stands now (from its events), or as it stood at asOf (from the read model, with filters and freshness).")]
    [Takes("asOf")]
    [AnswersOneOf(typeof(DealView), typeof(DealAsOf))]
    [ProducesResponseType<DealView>(StatusCodes.Status200OK)]
    [Refuses(StatusCodes.Status404NotFound)]
    public static async Task<IResult> Get(string dealId, HttpRequest http, IQuerySession session, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var asOf = q.Instant("asOf");
        if (q.Rejection is { } invalid)
        {
            return Problems.From(invalid);
        }

        if (asOf is { } at)
        {
            return await AsOfAsync(dealId, at, q, db, ct);
        }

        var deal = await session.LoadAsync<Deal>(dealId, ct);
        if (deal is null)
        {
            return Problems.From(Rejection.NotFound("dealId", "unknown-deal", $"There is no deal '{dealId}'."));
        }

        var pipeline = await session.LoadAsync<Pipeline>(deal.PipelineId, ct);
        return Results.Ok(DealView.From(deal, pipeline));
    }

    /// <summary>The deal as it stood at an instant, from the time-bounded read model (it may lag the store by the daemon's delay).</summary>
    private static async Task<IResult> AsOfAsync(string dealId, DateTimeOffset asOf, ReportRequest q, ReportDatabase db, CancellationToken ct)
    {
        return await DealAsOf.RunAsync(db, dealId, asOf, ct) is { } deal
            ? await q.AnswerAsync(deal, db, ct)
            : Problems.From(Rejection.NotFound("dealId", "unknown-deal", $"Deal '{dealId}' did not exist at {asOf:O}."));
    }
}
