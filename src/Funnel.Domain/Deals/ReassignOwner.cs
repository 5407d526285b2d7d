using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>Hands an open deal to another rep (a rep leaves, territories change); team and region follow when given.</summary>
public sealed record ReassignOwner(string DealId, string? Owner, string? Team = null, string? Region = null, DateTimeOffset? OccurredAt = null, long? ExpectedVersion = null) : IDealCommand
{
    public Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now) => Decide(deal, now);

    /// <summary>An owner change reads no pipeline: a handover decides it for many deals with this.</summary>
    public Decision Decide(Deal deal, DateTimeOffset now)
    {
        Rejection?[] checks = [Text.Check(Owner, "owner", required: true), Text.Check(Team, "team", required: false), Text.Check(Region, "region", required: false)];
        return DealRules.OnOpenDeal(deal, OccurredAt, now, checks, at =>
        {
            var (owner, team, region) = (Owner!.Trim(), Team?.Trim() ?? deal.Team, Region?.Trim() ?? deal.Region);
            return owner == deal.Owner && team == deal.Team && region == deal.Region
                ? Decision.Unchanged
                : Decision.Accept(new DealOwnerReassigned(DealId, owner, team, region, deal.Owner, at));
        });
    }
}
