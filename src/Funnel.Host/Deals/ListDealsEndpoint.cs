using Funnel.Domain.Deals;
using Funnel.Host.Http.Query;
using Funnel.Host.Reports;
using Funnel.Projections.Reports;
using Funnel.Projections.Timeline;

namespace Funnel.Host.Deals;

/// <summary>Lists deals as they stand, filtered and paged, from the read model.</summary>
public static class ListDealsEndpoint
{
    public sealed record Parameters : PagedParameters
    {
        public QueryChoice<DealStatus>? Status { get; init; }

        public string? PipelineId { get; init; }

        public string? Stage { get; init; }
    }

    public static void MapListDeals(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/deals", ListAsync)
            .TakesQuery<Parameters>()
            .WithName("listDeals").WithSummary("Deals as they stand, filtered, ordered by id and paged.")
            .WithTags("Deals").Produces<DealList>(StatusCodes.Status200OK).WithCommonRefusals(takesBody: false)
            .RequireAuthorization(Scopes.ReportsRead);

    private static async Task<IResult> ListAsync([AsParameters] Parameters p, HttpContext http, ReportDatabase db, CancellationToken ct)
    {
        var status = p.Status is null ? null : IntervalRow.StatusOf(p.Status.Value);
        var query = new DealListQuery(p.PipelineId, p.Stage, status, p.Filter(), p.Page!.Value, p.PageSize!.Value);
        return await ReportAnswer.AnswerAsync(http, p, await DealList.RunAsync(db, query, ct), db, ct);
    }
}
