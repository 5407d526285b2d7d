namespace Funnel.Domain.Targets;

/// <summary>Targets of a pipeline for a period were (re)defined: the whole tree, as of <paramref name="OccurredAt"/>.</summary>
public sealed record TargetsDefined(string PipelineId, string Period, TargetTree Tree, DateTimeOffset OccurredAt);

/// <summary>
/// A pipeline's targets for one period, every definition kept: reports take the one in force at the instant they
/// answer for, so attainment at a past instant is measured against the targets of then.
/// </summary>
public sealed class TargetPlan
{
    public string Id { get; set; } = "";

    public int Version { get; set; }

    public List<TargetsDefined> Definitions { get; set; } = [];

    /// <summary>The stream (and document) of a pipeline's targets for a period.</summary>
    public static string IdOf(string pipelineId, string period) => $"targets/{pipelineId}/{period}";

    /// <summary>The definition in force at <paramref name="at"/> (business time); before the first, none.</summary>
    public TargetsDefined? At(DateTimeOffset at) => Definitions.Where(d => d.OccurredAt <= at).OrderBy(d => d.OccurredAt).LastOrDefault();

    public static TargetPlan Evolve(TargetPlan? plan, object e)
    {
        var defined = (TargetsDefined)e;
        plan ??= new TargetPlan { Id = IdOf(defined.PipelineId, defined.Period) };
        plan.Definitions.Add(defined);
        return plan;
    }
}
