namespace Funnel.Domain.Pipelines;

/// <summary>The definition of a pipeline as it stands after its latest (re)definition.</summary>
public sealed class Pipeline
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public List<StageDefinition> Stages { get; set; } = [];

    public int Version { get; set; }

    public DateTimeOffset DefinedAt { get; set; }

    private static Pipeline Defined(PipelineDefined e) =>
        new() { Id = e.PipelineId, Name = e.Name, Stages = [.. e.Stages], DefinedAt = e.OccurredAt };

    private void On(PipelineRedefined e)
    {
        Name = e.Name;
        Stages = [.. e.Stages];
        DefinedAt = e.OccurredAt;
    }

    public StageDefinition? FindStage(string? stageId) => Stages.Find(s => s.Id == stageId);

    /// <summary>Position in the pipeline order, or -1 for a stage the current definition no longer has.</summary>
    public int IndexOf(string stageId) => Stages.FindIndex(s => s.Id == stageId);

    public static Pipeline Evolve(Pipeline? pipeline, object e)
    {
        switch (e)
        {
            case PipelineDefined defined: pipeline = Defined(defined); break;
            case PipelineRedefined redefined: pipeline!.On(redefined); break;
            default: throw new ArgumentException($"Not a pipeline event: {e.GetType().Name}", nameof(e));
        }

        pipeline.Version++;
        return pipeline;
    }

    public static Pipeline? Fold(IEnumerable<object> events) => events.Aggregate((Pipeline?)null, Evolve);
}
