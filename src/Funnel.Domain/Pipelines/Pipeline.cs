namespace Funnel.Domain.Pipelines;

/// <summary>The definition of a pipeline as it stands after its latest (re)definition.</summary>
public sealed class Pipeline
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public List<StageDefinition> Stages { get; set; } = [];

    public int Version { get; set; }

    public DateTimeOffset DefinedAt { get; set; }

    public static Pipeline Create(PipelineDefined e) =>
        new() { Id = e.PipelineId, Name = e.Name, Stages = [.. e.Stages], DefinedAt = e.OccurredAt };

    public void Apply(PipelineRedefined e)
    {
        Name = e.Name;
        Stages = [.. e.Stages];
        DefinedAt = e.OccurredAt;
    }

    public StageDefinition? FindStage(string? stageId) => Stages.Find(s => s.Id == stageId);

    /// <summary>Position in the pipeline order, or -1 for a stage the current definition no longer has.</summary>
    public int IndexOf(string stageId) => Stages.FindIndex(s => s.Id == stageId);

    public static Pipeline? Fold(IEnumerable<object> events)
    {
        Pipeline? pipeline = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case PipelineDefined defined: pipeline = Create(defined); break;
                case PipelineRedefined redefined: pipeline!.Apply(redefined); break;
            }

            if (pipeline is not null)
            {
                pipeline.Version++;
            }
        }

        return pipeline;
    }
}
