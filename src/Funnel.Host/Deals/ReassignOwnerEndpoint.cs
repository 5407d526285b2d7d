using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Hands an open deal to another rep. Over HTTP, or as a Wolverine message.</summary>
public static class ReassignOwnerHandler
{
    [WolverinePost("/api/deals/{dealId}/owner", OperationId = "reassignOwner")]
    public static async Task<IResult> Post(string dealId, ReassignOwner command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(ReassignOwner command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
