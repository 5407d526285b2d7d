using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Captures a deal into its pipeline. Over HTTP, or as a Wolverine message.</summary>
public static class CaptureDealHandler
{
    [WolverinePost("/api/deals", OperationId = "captureDeal")]
    public static async Task<IResult> Post(CaptureDeal command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.CaptureAsync(command, idempotencyKey, ct)).ToHttp(id => $"/api/deals/{Uri.EscapeDataString(id)}");

    public static Task<DealCommandResult> Handle(CaptureDeal command, DealCommandRunner runner, CancellationToken ct) =>
        runner.CaptureMessageAsync(command, ct);
}
