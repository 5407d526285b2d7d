using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>A command on an existing deal: the host loads the deal and its pipeline, the command decides.</summary>
public interface IDealCommand
{
    string DealId { get; }

    DateTimeOffset? OccurredAt { get; }

    /// <summary>When given, the command only applies if the deal is still at this version.</summary>
    long? ExpectedVersion { get; }

    Decision Decide(Deal deal, Pipeline pipeline, DateTimeOffset now);
}
