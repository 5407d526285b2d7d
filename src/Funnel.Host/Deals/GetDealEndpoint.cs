using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using Funnel.Host.Http.Query;
using Funnel.Host.Reports;
using Funnel.Projections.Reports;

namespace Funnel.Host.Deals;

/// <summary>A deal as it stands now (from its events), or as it stood at an instant (from the read model).</summary>
public static class GetDealEndpoint
{
    public sealed record Parameters : IQueryParameters
    {
        public QueryInstant? AsOf { get; init; }
    }

    public static void MapGetDeal(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/deals/{dealId}", GetAsync)
            .TakesQuery<Parameters>()
            .WithName("getDeal").WithSummary("A deal as it stands now (from its events), or as it stood at asOf (from the read model, with filters and freshness).")
            .WithTags("Deals").Produces<DealView>(StatusCodes.Status200OK)
            .WithMetadata(new AnswersOneOfAttribute(typeof(DealView), typeof(DealAsOf)), new RefusesAttribute(StatusCodes.Status404NotFound))
            .WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.ReportsRead);

    private static async Task<IResult> GetAsync(string dealId, [AsParameters] Parameters p, HttpContext http, IQuerySession session, ReportDatabase db, CancellationToken ct)
    {
        if (p.AsOf is { } asOf)
        {
            // From the time-bounded read model: it may lag the store by the daemon's delay.
            return await DealAsOf.RunAsync(db, dealId, asOf.Value, ct) is { } then
                ? await ReportAnswer.AnswerAsync(http, p, then, db, ct)
                : Problems.From(Rejection.NotFound("dealId", "unknown-deal", $"Deal '{dealId}' did not exist at {asOf.Value:O}."));
        }

        var deal = await session.LoadAsync<Deal>(dealId, ct);
        if (deal is null)
        {
            return Problems.From(Rejection.NotFound("dealId", "unknown-deal", $"There is no deal '{dealId}'."));
        }

        var pipeline = await session.LoadAsync<Pipeline>(deal.PipelineId, ct);
        return Results.Ok(DealView.From(deal, pipeline));
    }
}
