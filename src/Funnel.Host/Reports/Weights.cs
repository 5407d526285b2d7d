namespace Funnel.Host.Reports;

/// <summary>What a forecast or snapshot weighs each stage's amount with (the query parameter probabilities).</summary>
public enum Weights
{
    /// <summary>The pipeline definition in force at the instant asked about.</summary>
    AsOf,

    /// <summary>Today's definition, re-weighting the past.</summary>
    Current,

    /// <summary>The win rates the stages have shown, as observed by the instant asked about.</summary>
    Observed,
}
