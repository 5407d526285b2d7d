using Funnel.Domain.Deals;
using Wolverine.Attributes;

namespace Funnel.Host.Deals;

/// <summary>
/// Captures a deal over HTTP (the commands on an existing deal are in <see cref="DealCommandRoutes"/>). The runner
/// saves, so it can answer a lost race with a 409: no transaction middleware around it.
/// </summary>
[NonTransactional]
[Tags(DealCommandRoutes.Tag)]
[TakesCommandHeaders]
[Refuses(StatusCodes.Status409Conflict)]
[RequiresScope(Scopes.CommandsWrite)]
public static class CaptureDealEndpoint
{
    [WolverinePost("/api/deals", OperationId = "captureDeal", Summary = "Captures a deal into its pipeline.")]
    [ProducesResponseType<DealCommandResult>(StatusCodes.Status201Created)]
    public static async Task<IResult> Capture(CaptureDeal command, DealCommandRunner runner, CancellationToken ct) =>
        (await runner.CaptureAsync(command, ct)).ToHttp(id => $"/api/deals/{Uri.EscapeDataString(id)}");
}
