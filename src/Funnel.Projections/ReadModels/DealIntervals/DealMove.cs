using Funnel.Domain.Deals;

namespace Funnel.Projections.Timeline;

/// <summary>
/// What a deal event did, as a rep's diary lists it: kept on the interval the event began (its <c>move</c>), as seen by
/// the deal's owner then; the owner before a handover sees it as <see cref="HandedOut"/>. Changes a diary does not list
/// (amounts, dates) have none.
/// </summary>
public static class DealMove
{
    public const string Captured = "captured";
    public const string Stage = "stage";
    public const string Won = "won";
    public const string Lost = "lost";
    public const string Reopened = "reopened";
    public const string HandedIn = "handed-in";
    public const string HandedOut = "handed-out";

    /// <summary>The move of an event that left <paramref name="after"/>, the deal having stood in <paramref name="stageBefore"/> with <paramref name="statusBefore"/> (null: new).</summary>
    public static string? Of(DealStatus? statusBefore, string? stageBefore, Deal after, string? previousOwner) => (statusBefore, after.Status) switch
    {
        _ when previousOwner is not null => HandedIn,
        (null, _) => Captured,
        (DealStatus.Open, DealStatus.Won) => Won,
        (DealStatus.Open, DealStatus.Lost) => Lost,
        (DealStatus.Won or DealStatus.Lost, DealStatus.Open) => Reopened,
        (DealStatus.Open, DealStatus.Open) when stageBefore != after.Stage => Stage,
        _ => null,
    };

    /// <summary>
    /// SQL: the move of the interval aliased <paramref name="alias"/> as the rep <paramref name="rep"/> saw it (null: none):
    /// the owner before a handover saw the deal handed out, the owner its move.
    /// </summary>
    public static string Seen(string alias, string rep) =>
        $"(case when {alias}.previous_owner = {rep} and {alias}.owner <> {rep} then '{HandedOut}' when {alias}.owner = {rep} then {alias}.move end)";
}
