using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Closes a deal as won. Over HTTP, or as a Wolverine message.</summary>
public static class WinDealHandler
{
    [WolverinePost("/api/deals/{dealId}/win", OperationId = "winDeal")]
    public static async Task<IResult> Post(string dealId, WinDeal command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(WinDeal command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
