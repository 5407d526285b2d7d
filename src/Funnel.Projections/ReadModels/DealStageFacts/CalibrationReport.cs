using Funnel.Domain.Forecasting;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record CalibrationQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset AsOf)
{
    /// <summary>No window, now: the running stage counts answer it.</summary>
    public bool AsItStands { get; init; }

    /// <summary>The organisation's zone, where the dated stage counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>asOf is now: each entry's status is its current one.</summary>
    public bool AsOfNow { get; init; }
}

/// <summary>
/// One stage's promise against its record: the win probability the pipeline sets (the definition in force at asOf) and
/// the win rate observed among the deals that entered the stage and have closed since, with its 95 % Wilson interval.
/// </summary>
public sealed record StageCalibration(string Stage, decimal Probability, long Entered, long Closed, long Won, decimal? ObservedWinRate, decimal? Low, decimal? High);

public sealed record CalibrationReport(IReadOnlyList<StageCalibration> Stages) : IReportAnswer
{
    private static readonly string ProbabilitySql = PipelineStages.Probabilities("@pipeline", "@asOf");

    public static async Task<CalibrationReport> RunAsync(ReportDatabase db, CalibrationQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        var conversion = await ConversionReport.RunAsync(db, new ConversionQuery(q.PipelineId, q.Filter, q.From, q.To, q.AsOf, null, false) { AsItStands = q.AsItStands, AsOfNow = q.AsOfNow, Zone = q.Zone }, stageOrder, ct);
        var probabilities = (await db.QueryAsync(ProbabilitySql, c =>
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "asOf", q.AsOf);
            PipelineStages.AddParameters(c, current: false, observed: null);
        }, r => (Stage: ReportDatabase.Column<string>(r, "id"), Probability: ReportDatabase.Column<decimal>(r, "probability")), ct)).ToDictionary(p => p.Stage, p => p.Probability);
        return new CalibrationReport([.. conversion.Stages.Select(s =>
        {
            var rate = WinRate.Of(s.Won, s.Won + s.Lost);
            return new StageCalibration(s.Stage, probabilities.GetValueOrDefault(s.Stage), s.Entered, rate.Closed, s.Won, rate.Rate, rate.Low, rate.High);
        })]);
    }

    /// <summary>
    /// The weights of probabilities=observed: each stage's win rate over the whole pipeline as observed by asOf (no
    /// hindsight), or its defined probability where none of its deals has closed yet.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, decimal>> ObservedAsync(
        ReportDatabase db, string pipelineId, DateTimeOffset asOf, bool now, TimeZoneInfo zone, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        var report = await RunAsync(db, new CalibrationQuery(pipelineId, ReportFilter.None, null, null, asOf) { AsItStands = now, AsOfNow = now, Zone = zone }, stageOrder, ct);
        return report.Stages.ToDictionary(s => s.Stage, s => s.ObservedWinRate ?? s.Probability);
    }
}
