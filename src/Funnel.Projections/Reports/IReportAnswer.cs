namespace Funnel.Projections.Reports;

/// <summary>A report's answer: sent with the request's filters echoed and the read models' freshness beside its own fields.</summary>
public interface IReportAnswer;
