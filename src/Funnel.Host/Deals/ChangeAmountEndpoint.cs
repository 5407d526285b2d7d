using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Changes an open deal's amount. Over HTTP, or as a Wolverine message.</summary>
public static class ChangeAmountHandler
{
    [WolverinePost("/api/deals/{dealId}/amount", OperationId = "changeAmount")]
    public static async Task<IResult> Post(string dealId, ChangeAmount command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(ChangeAmount command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
