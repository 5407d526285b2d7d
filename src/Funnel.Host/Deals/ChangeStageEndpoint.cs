using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Moves an open deal to another stage (a move back is a regression). Over HTTP, or as a Wolverine message.</summary>
public static class ChangeStageHandler
{
    [WolverinePost("/api/deals/{dealId}/stage", OperationId = "changeStage")]
    public static async Task<IResult> Post(string dealId, ChangeStage command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(ChangeStage command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
