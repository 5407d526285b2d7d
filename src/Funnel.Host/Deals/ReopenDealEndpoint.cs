using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Brings a won or lost deal back into a stage. Over HTTP, or as a Wolverine message.</summary>
public static class ReopenDealHandler
{
    [WolverinePost("/api/deals/{dealId}/reopen", OperationId = "reopenDeal")]
    public static async Task<IResult> Post(string dealId, ReopenDeal command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(ReopenDeal command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
