using Funnel.Domain.Deals;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Funnel.Projections.Deals;

/// <summary>The deal's current state, folded by the domain's own <see cref="Deal.Evolve"/>.</summary>
public sealed class DealProjection : SingleStreamProjection<Deal, string>
{
    public DealProjection()
    {
        foreach (var type in DealEvents.All)
        {
            IncludeType(type);
        }
    }

    public override Deal? Evolve(Deal? snapshot, string id, IEvent e)
    {
        var deal = Deal.Evolve(snapshot, e.Data);
        deal.Version = (int)e.Version;
        return deal;
    }
}
