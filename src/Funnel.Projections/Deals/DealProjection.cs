using Funnel.Domain.Activities;
using Funnel.Domain.Deals;

namespace Funnel.Projections.Deals;

/// <summary>
/// The deal's current state, kept inline: commands decide on it and GET /api/deals/{id} reads it. Activities count in a
/// deal's version; on a rep's own stream (no deal captured) they make no deal.
/// </summary>
public sealed class DealProjection() : FoldProjection<Deal>(
    DealEvents.OnStream, (deal, e) => deal is null && e is ActivityLogged ? null : Deal.Evolve(deal, e), (deal, version) => deal.Version = version);
