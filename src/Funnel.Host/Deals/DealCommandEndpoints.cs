using Funnel.Domain.Deals;
using Funnel.Host.Http;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Funnel.Host.Deals;

/// <summary>
/// The deal commands over HTTP, each a route onto <see cref="DealCommandRunner"/>. The runner saves, so it can answer a
/// lost race with a retry or a 409: no transaction middleware around these.
/// </summary>
[NonTransactional]
public static class DealCommandEndpoints
{
    /// <summary>Captures a deal into its pipeline.</summary>
    [WolverinePost("/api/deals", OperationId = "captureDeal")]
    public static async Task<IResult> Capture(CaptureDeal command, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.CaptureAsync(command, ct)).ToHttp(id => $"/api/deals/{Uri.EscapeDataString(id)}");

    /// <summary>Moves an open deal to another stage (a move back is a regression).</summary>
    [WolverinePost("/api/deals/{dealId}/stage", OperationId = "changeStage")]
    public static Task<IResult> Stage(string dealId, ChangeStage command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    /// <summary>Records a quote; the quoted amount becomes the deal's amount.</summary>
    [WolverinePost("/api/deals/{dealId}/quote", OperationId = "sendQuote")]
    public static Task<IResult> Quote(string dealId, SendQuote command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    /// <summary>Changes an open deal's amount.</summary>
    [WolverinePost("/api/deals/{dealId}/amount", OperationId = "changeAmount")]
    public static Task<IResult> Amount(string dealId, ChangeAmount command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    /// <summary>Changes an open deal's expected close date.</summary>
    [WolverinePost("/api/deals/{dealId}/expected-close", OperationId = "changeExpectedClose")]
    public static Task<IResult> ExpectedClose(string dealId, ChangeExpectedClose command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    /// <summary>Hands an open deal to another rep.</summary>
    [WolverinePost("/api/deals/{dealId}/owner", OperationId = "reassignOwner")]
    public static Task<IResult> Owner(string dealId, ReassignOwner command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    /// <summary>Closes a deal as won.</summary>
    [WolverinePost("/api/deals/{dealId}/win", OperationId = "winDeal")]
    public static Task<IResult> Win(string dealId, WinDeal command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    /// <summary>Closes a deal as lost, with a reason.</summary>
    [WolverinePost("/api/deals/{dealId}/lose", OperationId = "loseDeal")]
    public static Task<IResult> Lose(string dealId, LoseDeal command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    /// <summary>Brings a won or lost deal back into a stage.</summary>
    [WolverinePost("/api/deals/{dealId}/reopen", OperationId = "reopenDeal")]
    public static Task<IResult> Reopen(string dealId, ReopenDeal command, DealCommandRunner runner, CancellationToken ct) => Run(runner, command with { DealId = dealId }, ct);

    private static async Task<IResult> Run(DealCommandRunner runner, IDealCommand command, CancellationToken ct) => (await runner.ExecuteAsync(command, ct)).ToHttp();
}
