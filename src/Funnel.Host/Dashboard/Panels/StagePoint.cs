namespace Funnel.Host.Dashboard.Panels;

/// <summary>One stage as the charts draw it.</summary>
public sealed record StagePoint(string Stage, double Count, double Amount, double Weighted, double P50Days, double P90Days);
