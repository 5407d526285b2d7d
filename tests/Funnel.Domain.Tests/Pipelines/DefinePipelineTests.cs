using Funnel.Domain.Pipelines;
using static Funnel.Domain.Tests.Deals.Given;

namespace Funnel.Domain.Tests.Pipelines;

public sealed class DefinePipelineTests
{
    private static readonly StageDefinition[] Stages = [new("a", "A", 0.2m), new("b", "B", 0.6m, 30m)];

    [Fact]
    public void a_new_pipeline_is_defined() =>
        Assert.Equal("p", Assert.IsType<PipelineDefined>(Assert.Single(new DefinePipeline("p", "P", Stages, T0).Decide(null, Now).Then())).PipelineId);

    [Fact]
    public void a_changed_definition_is_a_redefinition_and_the_old_one_stays_in_history()
    {
        var current = Pipeline.Fold([new PipelineDefined("p", "P", Stages, T0)])!;
        var redefined = Assert.IsType<PipelineRedefined>(Assert.Single(new DefinePipeline("p", "P", [new("a", "A", 0.25m)], T0.AddDays(1)).Decide(current, Now).Then()));
        var after = Pipeline.Fold([new PipelineDefined("p", "P", Stages, T0), redefined])!;
        Assert.Equal((2, 0.25m, 1), (after.Version, after.Stages[0].Probability, after.Stages.Count));
    }

    [Fact]
    public void the_same_definition_changes_nothing() =>
        Assert.Empty(new DefinePipeline("p", "P", [.. Stages], T0.AddDays(1)).Decide(Pipeline.Fold([new PipelineDefined("p", "P", Stages, T0)]), Now).Then());

    [Fact]
    public void a_negative_max_days_is_invalid() =>
        new DefinePipeline("p", "P", [new("a", "A", 0.2m, -1m)]).Decide(null, Now).Refused(RejectionKind.Invalid, "stages[0].maxDays", "positive");

    [Fact]
    public void a_redefinition_dated_before_the_current_one_is_a_conflict() =>
        new DefinePipeline("p", "P", [new("a", "A", 0.3m)], T0.AddDays(-1)).Decide(Pipeline.Fold([new PipelineDefined("p", "P", Stages, T0)]), Now)
            .Refused(RejectionKind.Conflict, "occurredAt", "occurred-at-order");
}
