using Funnel.Domain.Targets;

namespace Funnel.Projections.Targets;

/// <summary>A pipeline's targets for a period with every definition kept, inline: attainment reads the one in force at its instant.</summary>
public sealed class TargetPlanProjection() : FoldProjection<TargetPlan>([typeof(TargetsDefined)], TargetPlan.Evolve, (plan, version) => plan.Version = version);
