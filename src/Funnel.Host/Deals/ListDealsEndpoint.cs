using Funnel.Host.Reports;
using Funnel.Projections.Reports;

namespace Funnel.Host.Deals;

/// <summary>Lists deals as they stand, filtered and paged, from the read model.</summary>
[Tags("Deals"), RequiresScope(Scopes.ReportsRead)]
public static class ListDealsEndpoint
{
    private static readonly string[] Statuses = ["open", "won", "lost"];

    [WolverineGet("/api/deals", OperationId = "listDeals", Summary = "Deals as they stand, filtered, ordered by id and paged.")]
    [Takes("status", "pipelineId", "stage", "owner", "team", "region", "product", "page", "pageSize")]
    [ProducesResponseType<DealList>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(HttpRequest http, ReportDatabase db, TimeProvider clock, CancellationToken ct)
    {
        var q = new ReportRequest(http, clock);
        var status = q.Text("status");
        if (status is not null && !Statuses.Contains(status))
        {
            q.Reject("status", "one-of", "status is open, won or lost.");
        }

        var query = new DealListQuery(q.Text("pipelineId"), q.Text("stage"), status, q.Filter(), q.Number("page", 1, 1, 1_000_000), q.Number("pageSize", 50, 1, 500));
        return q.Rejection is { } rejection ? Problems.From(rejection) : await q.AnswerAsync(await DealList.RunAsync(db, query, ct), db, ct);
    }
}
