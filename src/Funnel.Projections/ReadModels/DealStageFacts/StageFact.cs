namespace Funnel.Projections.Timeline;

/// <summary>A deal's first entry into a stage and its first advance from it (business time), and the activities logged in it, kept in its running state.</summary>
public sealed class StageFact
{
    public DateTimeOffset FirstEnteredAt { get; set; }

    public DateTimeOffset? AdvancedAt { get; set; }

    /// <summary>The activities logged while the deal stood in the stage (any of its stays), by kind; null before the first.</summary>
    public Dictionary<string, long>? Activities { get; set; }

    /// <summary>Counts <paramref name="n"/> more (or fewer) activities of <paramref name="kind"/> in the stage.</summary>
    public void Count(string kind, long n)
    {
        Activities ??= new(StringComparer.Ordinal);
        var now = Activities.GetValueOrDefault(kind) + n;
        if (now == 0)
        {
            Activities.Remove(kind);
        }
        else
        {
            Activities[kind] = now;
        }
    }
}
