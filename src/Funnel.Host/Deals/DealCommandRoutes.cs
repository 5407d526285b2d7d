using Funnel.Domain.Deals;

namespace Funnel.Host.Deals;

/// <summary>
/// The commands on an existing deal over HTTP, from one table: a path segment, an operation id and a sentence each,
/// all onto <see cref="DealCommandRunner"/>. The route's dealId is the command's.
/// </summary>
public static class DealCommandRoutes
{
    public const string Tag = "Deals";

    /// <summary>One row per command: its path segment (also its type in a batch), its type, and how its route is mapped.</summary>
    private sealed record Row(string Segment, Type Command, Action<IEndpointRouteBuilder> Map);

    private static readonly Row[] Rows =
    [
        Route<ChangeStage>("stage", "changeStage", "Moves an open deal to another stage (a move back is a regression)."),
        Route<SendQuote>("quote", "sendQuote", "Records a quote; the quoted amount becomes the deal's amount."),
        Route<ChangeAmount>("amount", "changeAmount", "Changes an open deal's amount."),
        Route<ChangeExpectedClose>("expected-close", "changeExpectedClose", "Changes an open deal's expected close date."),
        Route<ReassignOwner>("owner", "reassignOwner", "Hands an open deal to another rep."),
        Route<WinDeal>("win", "winDeal", "Closes a deal as won."),
        Route<LoseDeal>("lose", "loseDeal", "Closes a deal as lost, with a reason."),
        Route<ReopenDeal>("reopen", "reopenDeal", "Brings a won or lost deal back into a stage."),
    ];

    /// <summary>The commands on an existing deal by the name of their route segment, which is their type in a batch.</summary>
    public static IReadOnlyDictionary<string, Type> BySegment { get; } = Rows.ToDictionary(r => r.Segment, r => r.Command);

    public static void MapDealCommands(this IEndpointRouteBuilder app)
    {
        foreach (var row in Rows)
        {
            row.Map(app);
        }
    }

    private static Row Route<T>(string segment, string operationId, string summary)
        where T : IDealCommand =>
        new(segment, typeof(T), app => app.MapPost($"/api/deals/{{dealId}}/{segment}", (string dealId, HttpRequest request, DealCommandRunner runner, CancellationToken ct) => RunAsync<T>(dealId, request, runner, ct))
            .WithName(operationId)
            .WithSummary(summary)
            .WithTags(Tag)
            .Accepts<T>("application/json")
            .Produces<DealCommandResult>(StatusCodes.Status200OK)
            .WithMetadata(new TakesCommandHeadersAttribute(), new RefusesAttribute(StatusCodes.Status409Conflict))
            .WithCommonRefusals(takesBody: true)
            .RequireAuthorization(Scopes.CommandsWrite));

    private static async Task<IResult> RunAsync<T>(string dealId, HttpRequest request, DealCommandRunner runner, CancellationToken ct)
        where T : IDealCommand
    {
        var (command, refusal) = await JsonBody.ReadAsync<T>(request, "dealId", dealId, ct);
        return refusal ?? (await runner.ExecuteAsync(command!, ct)).ToHttp();
    }
}
