using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record DiaryQuery(string Rep, DateOnly Date, TimeZoneInfo Zone);

/// <summary>An activity the rep logged that day.</summary>
public sealed record DiaryActivity(string ActivityId, DateTimeOffset OccurredAt, string Kind, string? DealId, string? Account, int? DurationMinutes, string? Outcome, string? Notes);

/// <summary>
/// Something that happened that day on a deal the rep owned, or that left them: captured, stage (a move), won, lost,
/// reopened, handed-in, handed-out (an owner change). A handover carries its reason, a loss its loss reason.
/// </summary>
public sealed record DiaryMove(
    DateTimeOffset OccurredAt, string DealId, string PipelineId, string What, decimal Amount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FromStage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ToStage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OtherRep,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

public sealed record DiaryTotals(int Activities, int Minutes, int StageMoves, int Won, decimal WonAmount, int Lost, int HandedIn, int HandedOut);

/// <summary>A rep's day in the organisation's zone: what they logged, what happened on their deals, and the deals they touched.</summary>
public sealed record RepDiary(string Rep, DateOnly Date, DateTimeOffset From, DateTimeOffset To, bool Recorded, DiaryTotals Totals,
    IReadOnlyList<DiaryActivity> Activities, IReadOnlyList<DiaryMove> Moves, IReadOnlyList<string> DealsTouched) : IReportAnswer
{
    private static readonly string ActivitySql = $"""
        select activity_id, occurred_at, kind, deal_id, account, duration_minutes, outcome, notes from {TimelineTables.Activities}
        where rep = @rep and occurred_at >= @from and occurred_at < @to order by occurred_at, activity_id
        """;

    // Each interval begun that day is one event; the interval before it says what the event changed.
    private static readonly string MoveSql = $"""
        select i.deal_id, i.pipeline_id, i.valid_from, i.stage, i.status, i.amount, i.owner, i.previous_owner, coalesce(i.handover_reason, i.loss_reason) as reason, p.stage as before_stage, p.status as before_status
        from {TimelineTables.DealIntervals} i
        left join lateral (select b.stage, b.status from {TimelineTables.DealIntervals} b where b.deal_id = i.deal_id and b.version < i.version order by b.version desc limit 1) p on true
        where i.valid_from >= @from and i.valid_from < @to and (i.owner = @rep or i.previous_owner = @rep)
        order by i.valid_from, i.deal_id
        """;

    public static async Task<RepDiary> RunAsync(ReportDatabase db, DiaryQuery q, CancellationToken ct)
    {
        var (from, to) = (Domain.BusinessTime.MidnightIn(q.Date, q.Zone), Domain.BusinessTime.MidnightIn(q.Date.AddDays(1), q.Zone));
        void Parameters(Npgsql.NpgsqlCommand c)
        {
            ReportDatabase.Add(c, "rep", q.Rep);
            ReportDatabase.Add(c, "from", from);
            ReportDatabase.Add(c, "to", to);
        }

        var activities = await db.QueryAsync(ActivitySql, Parameters, r => new DiaryActivity(
            ReportDatabase.Column<string>(r, "activity_id"), ReportDatabase.Column<DateTimeOffset>(r, "occurred_at"), ReportDatabase.Column<string>(r, "kind"),
            ReportDatabase.Column<string?>(r, "deal_id"), ReportDatabase.Column<string?>(r, "account"), ReportDatabase.Column<int?>(r, "duration_minutes"),
            ReportDatabase.Column<string?>(r, "outcome"), ReportDatabase.Column<string?>(r, "notes")), ct);
        var moves = (await db.QueryAsync(MoveSql, Parameters, r =>
        {
            T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
            return Move(q.Rep, Column<DateTimeOffset>("valid_from"), Column<string>("deal_id"), Column<string>("pipeline_id"), Column<string>("stage"), Column<string>("status"),
                Column<decimal>("amount"), Column<string>("owner"), Column<string?>("previous_owner"), Column<string?>("reason"),
                Column<string?>("before_stage"), Column<string?>("before_status"));
        }, ct)).OfType<DiaryMove>().ToList();

        var totals = new DiaryTotals(activities.Count, activities.Sum(a => a.DurationMinutes ?? 0), moves.Count(m => m.What == "stage"), moves.Count(m => m.What == "won"),
            moves.Where(m => m.What == "won").Sum(m => m.Amount), moves.Count(m => m.What == "lost"), moves.Count(m => m.What == "handed-in"), moves.Count(m => m.What == "handed-out"));
        var touched = activities.Select(a => a.DealId).OfType<string>().Concat(moves.Select(m => m.DealId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new RepDiary(q.Rep, q.Date, from, to, activities.Count > 0, totals, activities, moves, touched);
    }

    /// <summary>What one interval's event did, as seen from the rep; null for changes a diary does not list (amounts, dates).</summary>
    private static DiaryMove? Move(string rep, DateTimeOffset at, string dealId, string pipelineId, string stage, string status, decimal amount, string owner,
        string? previousOwner, string? reason, string? beforeStage, string? beforeStatus)
    {
        DiaryMove Of(string what, string? fromStage = null, string? toStage = null, string? other = null) => new(at, dealId, pipelineId, what, amount, fromStage, toStage, other, reason);
        return (beforeStatus, status) switch
        {
            _ when previousOwner == rep && owner != rep => Of("handed-out", other: owner),
            _ when previousOwner is not null && owner == rep => Of("handed-in", other: previousOwner),
            (null, _) => Of("captured", toStage: stage),
            ("open", "won") => Of("won", fromStage: beforeStage),
            ("open", "lost") => Of("lost", fromStage: beforeStage),
            ("won" or "lost", "open") => Of("reopened", toStage: stage),
            ("open", "open") when beforeStage != stage => Of("stage", beforeStage, stage),
            _ => null,
        };
    }
}
