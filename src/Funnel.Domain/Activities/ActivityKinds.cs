namespace Funnel.Domain.Activities;

public static class ActivityKinds
{
    /// <summary>What a rep records; a manager reads effort by these.</summary>
    public static readonly IReadOnlyList<string> All = ["call", "visit", "email", "meeting", "demo", "quote", "task", "note"];
}
