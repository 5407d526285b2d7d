using Funnel.Domain.Deals;

namespace Funnel.Projections.Deals;

/// <summary>The deal's current state, kept inline: commands decide on it and GET /api/deals/{id} reads it.</summary>
public sealed class DealProjection() : FoldProjection<Deal>(DealEvents.All, Deal.Evolve, (deal, version) => deal.Version = version);
