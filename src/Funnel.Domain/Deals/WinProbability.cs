namespace Funnel.Domain.Deals;

/// <summary>How much of a deal's amount the forecast counts: all of a won deal, none of a lost one, an open one at its stage's probability.</summary>
public static class WinProbability
{
    /// <param name="stageProbability">The probability of the deal's stage in the pipeline definition that applies; null when it has none.</param>
    public static decimal Of(DealStatus status, decimal? stageProbability) => status switch
    {
        DealStatus.Won => 1m,
        DealStatus.Lost => 0m,
        _ => stageProbability ?? 0m,
    };
}
