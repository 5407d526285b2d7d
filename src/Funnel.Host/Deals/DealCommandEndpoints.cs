using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Funnel.Host.Http.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>
/// The deal commands over HTTP, each a route onto <see cref="DealCommandRunner"/>. The runner saves, so it can answer a
/// lost race with a retry or a 409: no transaction middleware around these.
/// </summary>
[NonTransactional]
[Tags("Deals")]
[TakesCommandHeaders]
[Refuses(StatusCodes.Status409Conflict)]
public static class DealCommandEndpoints
{
    [WolverinePost("/api/deals", OperationId = "captureDeal", Summary = "Captures a deal into its pipeline.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status201Created)]
    public static async Task<IResult> Capture(CaptureDeal command, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.CaptureAsync(command, ct)).ToHttp(id => $"/api/deals/{Uri.EscapeDataString(id)}");

    [WolverinePost("/api/deals/{dealId}/stage", OperationId = "changeStage", Summary = "Moves an open deal to another stage (a move back is a regression).")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> Stage(string dealId, ChangeStage command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    [WolverinePost("/api/deals/{dealId}/quote", OperationId = "sendQuote", Summary = "Records a quote; the quoted amount becomes the deal's amount.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> Quote(string dealId, SendQuote command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    [WolverinePost("/api/deals/{dealId}/amount", OperationId = "changeAmount", Summary = "Changes an open deal's amount.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> Amount(string dealId, ChangeAmount command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    [WolverinePost("/api/deals/{dealId}/expected-close", OperationId = "changeExpectedClose", Summary = "Changes an open deal's expected close date.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> ExpectedClose(string dealId, ChangeExpectedClose command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    [WolverinePost("/api/deals/{dealId}/owner", OperationId = "reassignOwner", Summary = "Hands an open deal to another rep.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> Owner(string dealId, ReassignOwner command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    [WolverinePost("/api/deals/{dealId}/win", OperationId = "winDeal", Summary = "Closes a deal as won.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> Win(string dealId, WinDeal command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    [WolverinePost("/api/deals/{dealId}/lose", OperationId = "loseDeal", Summary = "Closes a deal as lost, with a reason.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> Lose(string dealId, LoseDeal command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    [WolverinePost("/api/deals/{dealId}/reopen", OperationId = "reopenDeal", Summary = "Brings a won or lost deal back into a stage.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status200OK)]
    public static Task<IResult> Reopen(string dealId, ReopenDeal command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    private static async Task<IResult> Run(DealCommandRunner runner, IDealCommand command, CancellationToken ct) => (await runner.ExecuteAsync(command, ct)).ToHttp();
}
