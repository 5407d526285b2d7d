namespace Funnel.Domain.Targets;

/// <summary>Sets (or redefines) a pipeline's targets for a period: the whole tree at once.</summary>
public sealed record DefineTargets(string PipelineId, string Period, TargetTree? Tree, DateTimeOffset? OccurredAt)
{
    public (TargetsDefined? Event, IReadOnlyList<string> Warnings, Rejection? Rejection) Decide(bool pipelineExists, DateTimeOffset now)
    {
        var at = OccurredAt ?? now;
        var (_, badPeriod) = TargetPeriod.Parse(Period);
        var rejection = Rejection.FirstOf(
            badPeriod,
            pipelineExists ? null : Rejection.NotFound("pipelineId", "unknown-pipeline", $"There is no pipeline '{PipelineId}'."),
            Tree is null ? Rejection.Invalid("organisation", "required", "The tree starts with the organisation's targets.") : Tree.Check(),
            BusinessTime.CheckOccurredAt(at, now));
        return rejection is not null ? (null, [], rejection) : (new TargetsDefined(PipelineId, Period, Tree!, at), Tree!.Warnings(), null);
    }
}
