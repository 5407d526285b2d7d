using Funnel.Domain.Targets;

namespace Funnel.Host.Targets;

/// <summary>The body of PUT /api/targets/{pipelineId}/{period}: the whole tree.</summary>
/// <param name="Organisation">The whole organisation's targets.</param>
/// <param name="Teams">Each team's targets, and its reps'.</param>
/// <param name="OccurredAt">From when this definition holds (business time); now by default.</param>
public sealed record TargetsRequest(Goals? Organisation, IReadOnlyList<TeamTargets>? Teams, DateTimeOffset? OccurredAt)
{
    /// <summary>The tree, with a team or rep whose targets or reps were left out given none; no organisation, no tree.</summary>
    public TargetTree? Tree() => Organisation is null ? null : new TargetTree(Organisation, [.. (Teams ?? []).Select(t => t with
    {
        Targets = t.Targets ?? new Goals(),
        Reps = [.. (t.Reps ?? []).Select(r => r with { Targets = r.Targets ?? new Goals() })],
    })]);
}

/// <summary>The definition stored: its version among the period's definitions, and where children exceed their parent.</summary>
public sealed record TargetsAnswer(string PipelineId, string Period, long Version, IReadOnlyList<string> Warnings);

public static class TargetRoutes
{
    public const string Tag = "Targets";

    public static void MapTargetRoutes(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/targets/{pipelineId}/{period}", DefineAsync)
            .WithName("defineTargets").WithSummary("Sets or redefines a pipeline's targets for a month, quarter or year: organisation, teams, reps. Each definition is kept; a tree whose children exceed their parent is accepted with warnings.")
            .WithTags(Tag).Accepts<TargetsRequest>("application/json").Produces<TargetsAnswer>(StatusCodes.Status200OK)
            .WithMetadata(new RefusesAttribute(StatusCodes.Status404NotFound)).WithCommonRefusals(takesBody: true)
            .RequireAuthorization(Scopes.TargetsAdmin);
    }

    private static async Task<IResult> DefineAsync(string pipelineId, string period, HttpRequest http, IDocumentSession session, Pipelines.PipelineCache pipelines,
        Deals.CommandCaller caller, TimeProvider clock, CancellationToken ct)
    {
        var (request, refusal) = await JsonBody.ReadAsync<TargetsRequest>(http, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var tree = request!.Tree();
        var pipeline = await pipelines.LoadAsync(session, pipelineId, ct);
        var (defined, warnings, rejection) = new DefineTargets(pipelineId, period, tree, request.OccurredAt).Decide(pipeline is not null, clock.GetUtcNow());
        if (rejection is not null)
        {
            return Problems.From(rejection);
        }

        var stream = await session.Events.FetchForExclusiveWriting<TargetPlan>(TargetPlan.IdOf(pipelineId, period), ct);
        stream.AppendOne(defined!);
        caller.Stamp(session);
        await session.SaveChangesAsync(ct);
        return Results.Ok(new TargetsAnswer(pipelineId, period, (stream.StartingVersion ?? 0) + 1, warnings));
    }
}
