using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Changes an open deal's expected close date. Over HTTP, or as a Wolverine message.</summary>
public static class ChangeExpectedCloseHandler
{
    [WolverinePost("/api/deals/{dealId}/expected-close", OperationId = "changeExpectedClose")]
    public static async Task<IResult> Post(string dealId, ChangeExpectedClose command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(ChangeExpectedClose command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
