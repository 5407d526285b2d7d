using System.Text.RegularExpressions;

namespace Funnel.Domain.Pipelines;

/// <summary>Defines a pipeline, or redefines it; a redefinition never rewrites the past, it only adds a version.</summary>
public sealed partial record DefinePipeline(string PipelineId, string? Name, IReadOnlyList<StageDefinition>? Stages, DateTimeOffset? OccurredAt = null)
{
    public const int MaxStages = 50;

    /// <summary>A stage that may last longer than ten years has no limit worth flagging.</summary>
    public const int MaxStageDays = 3650;

    public Decision Decide(Pipeline? current, DateTimeOffset now)
    {
        if (Validate() is { } invalid)
        {
            return invalid;
        }

        var at = OccurredAt ?? now;
        if (BusinessTime.CheckOccurredAt(at, now) is { } badTime)
        {
            return badTime;
        }

        if (current is null)
        {
            return Decision.Accept(new PipelineDefined(PipelineId, Name!.Trim(), Stages!, at));
        }

        if (at < current.DefinedAt)
        {
            return BusinessTime.BeforeLatest(current.DefinedAt);
        }

        var unchanged = current.Name == Name!.Trim() && current.Stages.SequenceEqual(Stages!);
        return unchanged ? Decision.Unchanged : Decision.Accept(new PipelineRedefined(PipelineId, Name.Trim(), Stages!, at));
    }

    private Rejection? Validate()
    {
        if (!Identifiers.IsValid(PipelineId))
        {
            return Rejection.Invalid("pipelineId", "identifier", Identifiers.Rule);
        }

        if (Text.Check(Name, "name", required: true) is { } badName)
        {
            return badName;
        }

        if (Stages is null || Stages.Count == 0)
        {
            return Rejection.Invalid("stages", "required", "A pipeline needs at least one stage.");
        }

        if (Stages.Count > MaxStages)
        {
            return Rejection.Invalid("stages", "too-many", $"A pipeline has at most {MaxStages} stages.");
        }

        for (var i = 0; i < Stages.Count; i++)
        {
            if (ValidateStage(Stages[i], $"stages[{i}]") is { } invalid)
            {
                return invalid;
            }
        }

        var duplicate = Stages.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? null
            : Rejection.Invalid("stages", "unique-stage-ids", $"Stage id '{duplicate.Key}' appears more than once.");
    }

    private static Rejection? ValidateStage(StageDefinition? stage, string path)
    {
        if (stage is null)
        {
            return Rejection.Invalid(path, "required", "A stage may not be null.");
        }

        if (!StageId().IsMatch(stage.Id ?? ""))
        {
            return Rejection.Invalid($"{path}.id", "stage-id", "A stage id is 1 to 64 characters: lower-case letters, digits, '-' or '_', starting with a letter or digit.");
        }

        if (stage.Id is "won" or "lost")
        {
            return Rejection.Invalid($"{path}.id", "reserved-stage-id", "Won and lost are outcomes, not stages.");
        }

        if (Text.Check(stage.Name, $"{path}.name", required: true) is { } badName)
        {
            return badName;
        }

        if (stage.Probability is < 0 or > 1)
        {
            return Rejection.Invalid($"{path}.probability", "probability-range", "A win probability lies between 0 and 1.");
        }

        return stage.MaxDays switch
        {
            <= 0 => Rejection.Invalid($"{path}.maxDays", "positive", "maxDays, when given, is greater than 0."),
            > MaxStageDays => Rejection.Invalid($"{path}.maxDays", "max-days", $"maxDays is at most {MaxStageDays}."),
            _ => null,
        };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex StageId();
}
