namespace Funnel.Host.Dashboard.Panels;

/// <summary>One stage as a chart draws it (plain values: an interactive chart gets them serialized from the page).</summary>
public sealed record StagePoint(string Stage, double Count, double Amount, double Weighted, double P50Days, double P90Days);
