namespace Funnel.Domain.Deals;

/// <summary>
/// A rep leaves (or changes territory): all their open deals, or the listed ones, pass to another rep in one command,
/// each deal's whole record staying with it. All or nothing: one deal that cannot be handed over refuses the handover.
/// </summary>
public sealed record HandOverDeals(string Rep, string? To, string? Team, string? Region, IReadOnlyList<string>? DealIds, string? Reason, DateTimeOffset? OccurredAt)
{
    /// <summary>The most deals one handover moves (a book of business; larger ones go as several, each all or nothing).</summary>
    public const int MaxDeals = 5000;

    /// <summary>One deal's owner change, to append after the version it was decided on.</summary>
    public sealed record Move(string DealId, long VersionBefore, DealOwnerReassigned Event);

    /// <summary>
    /// Decides the handover against the deals it names (<paramref name="deals"/>: the rep's open deals, or those listed,
    /// as loaded; a listed id that is not among them is unknown).
    /// </summary>
    public (IReadOnlyList<Move> Moves, Rejection? Rejection) Decide(IReadOnlyDictionary<string, Deal> deals, DateTimeOffset now)
    {
        if (Rejection.FirstOf(
                Text.Check(To, "to", required: true), Text.Check(Reason, "reason", required: true), Text.Check(Team, "team", required: false),
                Text.Check(Region, "region", required: false), CheckList(), To?.Trim() == Rep ? SameRep : null) is { } invalid)
        {
            return ([], invalid);
        }

        var moves = new List<Move>();
        foreach (var id in DealIds ?? [.. deals.Keys.Order(StringComparer.Ordinal)])
        {
            if (!deals.TryGetValue(id, out var deal))
            {
                return ([], DealRules.UnknownDeal(id) with { Field = "dealIds" });
            }

            if (deal.Owner != Rep)
            {
                return ([], Rejection.Conflict("dealIds", "not-the-reps-deal", $"Deal '{id}' is owned by '{deal.Owner}', not by '{Rep}'."));
            }

            // The owner change's own rules: an open deal, business time after its last event.
            var decision = new ReassignOwner(id, To, Team, Region, OccurredAt).Decide(deal, now);
            if (decision.Rejection is { } refused)
            {
                return ([], refused with { Message = $"Deal '{id}': {refused.Message}" });
            }

            moves.AddRange(decision.Events.OfType<DealOwnerReassigned>().Select(e => new Move(id, deal.Version, e with { HandoverReason = Reason!.Trim() })));
        }

        return (moves, null);
    }

    private static readonly Rejection SameRep = Rejection.Invalid("to", "same-rep", "A rep cannot hand their deals over to themselves.");

    private Rejection? CheckList() => DealIds switch
    {
        null => null,
        { Count: 0 } => Rejection.Invalid("dealIds", "required", "dealIds, when given, names at least one deal (leave it out to hand over every open deal)."),
        { Count: > MaxDeals } => Rejection.Invalid("dealIds", "max-items", $"A handover moves at most {MaxDeals:N0} deals."),
        var ids when ids.Distinct(StringComparer.Ordinal).Count() != ids.Count => Rejection.Invalid("dealIds", "duplicate", "dealIds names a deal twice."),
        _ => null,
    };
}
