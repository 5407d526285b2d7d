using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Closes a deal as lost, with a reason. Over HTTP, or as a Wolverine message.</summary>
public static class LoseDealHandler
{
    [WolverinePost("/api/deals/{dealId}/lose", OperationId = "loseDeal")]
    public static async Task<IResult> Post(string dealId, LoseDeal command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(LoseDeal command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
