using Funnel.Domain.Deals;

namespace Funnel.Projections.Timeline;

/// <summary>What the timeline projection remembers of a deal between batches, stored in deal_projection_state.state.</summary>
public sealed class DealTimelineState
{
    public Deal Deal { get; set; } = new();

    /// <summary>How many residencies the deal has had; the open one, if any, is number <see cref="Residencies"/>.</summary>
    public int Residencies { get; set; }

    /// <summary>When the deal last became open, won or lost: before it, the status at an instant needs a look at the intervals.</summary>
    public DateTimeOffset StatusChangedAt { get; set; }

    /// <summary>Per stage entered: first entry and first advance (business time).</summary>
    public Dictionary<string, StageFact> Facts { get; set; } = [];

    /// <summary>
    /// The stream's version, activities counted (the one commands expect); <see cref="Deal"/>'s version is that of its
    /// last deal event, which keys its intervals. 0 in states stored before activities: then the two are the same.
    /// </summary>
    public int StreamVersion { get; set; }

    /// <summary>The business time of the latest activity logged on the deal, if any: untouched deals are read by it.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }

    /// <summary>Every change of the deal's status (open, won, lost), its capture first: the dated stage counts are drawn from them.</summary>
    public List<StatusChange> Statuses { get; set; } = [];

    /// <summary>Every change of the stage the deal stood open in (null: closed), its capture first: an activity dated back is counted in the stage of its time.</summary>
    public List<StageChange> Stages { get; set; } = [];

    /// <summary>
    /// Every change of who held the deal (owner, team, region), its capture first: its touch spans are cut there, so each
    /// is counted under the attributes of its time. Empty in states stored before it: those are read as held as they are now.
    /// </summary>
    public List<OwnerChange> Owners { get; set; } = [];

    /// <summary>
    /// Every activity logged on the deal, in the order projected: each stands in the stage of its time (<see cref="StageAt"/>);
    /// those dated at or after the deal's latest deal event stand in its current stage until a deal event dated at or before
    /// them moves them to its new one (the effort counts follow them).
    /// </summary>
    public List<LoggedActivity> Activities { get; set; } = [];

    /// <summary>The stage the deal stood open in at <paramref name="at"/>, if any (the last change at or before it wins).</summary>
    public string? StageAt(DateTimeOffset at) => Stages.LastOrDefault(s => s.At <= at)?.Stage;

    /// <summary>Who held the deal at <paramref name="at"/> (the last change at or before it wins), with its product, which never changes.</summary>
    public DealAttributes AttributesAt(DateTimeOffset at)
    {
        var now = DealAttributes.Of(this);
        return Owners.LastOrDefault(o => o.At <= at) is { } held ? now with { Owner = held.Owner, Team = held.Team, Region = held.Region } : now;
    }
}

/// <summary>From <paramref name="At"/> (business time) on, the deal was held by <paramref name="Owner"/> of <paramref name="Team"/> in <paramref name="Region"/>.</summary>
public sealed record OwnerChange(DateTimeOffset At, string Owner, string? Team, string? Region);

/// <summary>
/// From <paramref name="At"/> (business time) on, the deal stood open in <paramref name="Stage"/> (null: it was closed),
/// the stay before it left as <paramref name="Exit"/> says (advanced, regressed, won, lost; null when none was open).
/// </summary>
public sealed record StageChange(DateTimeOffset At, string? Stage, string? Exit = null);

/// <summary>An activity of <paramref name="Kind"/> logged on the deal at <paramref name="At"/> (business time).</summary>
public sealed record LoggedActivity(DateTimeOffset At, string Kind);

/// <summary>From <paramref name="At"/> (business time) on, the deal had <paramref name="Status"/>.</summary>
public sealed record StatusChange(DateTimeOffset At, string Status);

/// <summary>The deal's current status and filter attributes, copied onto its residencies and stage facts so reports need no join.</summary>
public sealed record DealAttributes(string Status, DateTimeOffset StatusChangedAt, string Owner, string? Team, string? Region, string? Product)
{
    public static DealAttributes Of(DealTimelineState state) => new(
        IntervalRow.StatusOf(state.Deal), state.StatusChangedAt, state.Deal.Owner, state.Deal.Team, state.Deal.Region, state.Deal.Product);
}
