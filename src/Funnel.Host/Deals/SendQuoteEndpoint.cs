using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>Records a quote; the quoted amount becomes the deal's amount. Over HTTP, or as a Wolverine message.</summary>
public static class SendQuoteHandler
{
    [WolverinePost("/api/deals/{dealId}/quote", OperationId = "sendQuote")]
    public static async Task<IResult> Post(string dealId, SendQuote command, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.ExecuteAsync(command with { DealId = dealId }, idempotencyKey, ct)).ToHttp();

    public static Task<DealCommandResult> Handle(SendQuote command, DealCommandRunner runner, CancellationToken ct) =>
        runner.ExecuteMessageAsync(command, ct);
}
