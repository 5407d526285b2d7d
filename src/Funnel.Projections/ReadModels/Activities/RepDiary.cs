using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>A rep's day, page <paramref name="Page"/> of its activities and of its moves (<paramref name="PageSize"/> of each).</summary>
public sealed record DiaryQuery(string Rep, DateOnly Date, TimeZoneInfo Zone, int Page = 1, int PageSize = 100);

/// <summary>An activity the rep logged that day.</summary>
public sealed record DiaryActivity(string ActivityId, DateTimeOffset OccurredAt, string Kind, string? DealId, string? Account, int? DurationMinutes, string? Outcome, string? Notes);

/// <summary>
/// Something that happened that day on a deal the rep owned, or that left them (<see cref="DealMove"/>): captured, stage
/// (a move), won, lost, reopened, handed-in, handed-out (an owner change). A handover carries its reason, a loss its loss reason.
/// </summary>
public sealed record DiaryMove(
    DateTimeOffset OccurredAt, string DealId, string PipelineId, string What, decimal Amount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FromStage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ToStage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OtherRep,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

/// <summary>The whole day's counts, whichever page is shown: its activities and their minutes, and its moves in all and by kind.</summary>
public sealed record DiaryTotals(int Activities, int Minutes, int Moves, int StageMoves, int Won, decimal WonAmount, int Lost, int HandedIn, int HandedOut);

/// <summary>
/// A rep's day in the organisation's zone: what they logged and what happened on their deals, a page of each in order of
/// time, the deals those touched, and the whole day's totals (from the activity and move counters where they were cut
/// in the same zone, so a busy day costs its page, not its rows).
/// </summary>
public sealed record RepDiary(string Rep, DateOnly Date, DateTimeOffset From, DateTimeOffset To, bool Recorded, DiaryTotals Totals,
    IReadOnlyList<DiaryActivity> Activities, IReadOnlyList<DiaryMove> Moves, IReadOnlyList<string> DealsTouched, int Page, int PageSize) : IReportAnswer
{
    private static readonly string ActivitySql = $"""
        select activity_id, occurred_at, kind, deal_id, account, duration_minutes, outcome, notes from {TimelineTables.Activities}
        where rep = @rep and occurred_at >= @from and occurred_at < @to order by occurred_at, activity_id limit @limit offset @offset
        """;

    // The day's intervals on the rep's deals (owned, or handed out) with a move they saw.
    private static string Moved(string condition) => $"""
        select i.deal_id, i.version, i.pipeline_id, i.valid_from, i.stage, i.amount, i.owner, i.previous_owner,
               coalesce(i.handover_reason, i.loss_reason) as reason, {DealMove.Seen("i", "@rep")} as move
        from {TimelineTables.DealIntervals} i
        where {condition} and i.valid_from >= @from and i.valid_from < @to and {DealMove.Seen("i", "@rep")} is not null
        """;

    // A page of moves: those the rep saw as owner and those handed out from them, each read by its index in time order as far
    // as the page reaches; the stage before each from the deal's interval before it.
    private static readonly string MoveSql = $"""
        select x.*, p.stage as before_stage from (
            select * from (
                ({Moved("i.owner = @rep")} order by i.valid_from, i.deal_id, i.version limit @offset + @limit)
                union all
                ({Moved("i.previous_owner = @rep and i.owner <> @rep")} order by i.valid_from, i.deal_id, i.version limit @offset + @limit)) m
            order by m.valid_from, m.deal_id, m.version limit @limit offset @offset) x
        left join lateral (select b.stage from {TimelineTables.DealIntervals} b where b.deal_id = x.deal_id and b.version < x.version order by b.version desc limit 1) p on true
        order by x.valid_from, x.deal_id, x.version
        """;

    // The day's totals from the counters: the activities in every pipeline (and on no deal), the moves by kind.
    private static readonly string CountedTotalsSql = $"""
        with a as (
            select coalesce(sum(c.n), 0)::bigint as n, coalesce(sum(c.minutes), 0)::bigint as minutes from {TimelineTables.ActivityCounts} c
            where c.pipeline_id in (select '' union select pipeline_id from {TimelineTables.PipelineVersions})
              and c.span = '{CounterCalendar.Day}' and c.bucket = @day and c.rep = @rep)
        select a.n, a.minutes, m.move, m.n as moves, m.amount from a left join {TimelineTables.RepDayMoves} m on m.rep = @rep and m.day = @day and m.n <> 0
        """;

    // The same from the rows, where the counters' days are another zone's.
    private static readonly string TotalsSql = $"""
        with a as (
            select count(*) as n, coalesce(sum(duration_minutes), 0)::bigint as minutes from {TimelineTables.Activities}
            where rep = @rep and occurred_at >= @from and occurred_at < @to),
        m as (
            select move, count(*) as n, sum(amount) as amount from (
                {Moved("i.owner = @rep")} union all {Moved("i.previous_owner = @rep and i.owner <> @rep")}) x group by move)
        select a.n, a.minutes, m.move, m.n as moves, m.amount from a left join m on true
        """;

    public static async Task<RepDiary> RunAsync(ReportDatabase db, DiaryQuery q, CancellationToken ct)
    {
        var (from, to) = (Domain.BusinessTime.MidnightIn(q.Date, q.Zone), Domain.BusinessTime.MidnightIn(q.Date.AddDays(1), q.Zone));
        void Parameters(Npgsql.NpgsqlCommand c)
        {
            ReportDatabase.Add(c, "rep", q.Rep);
            ReportDatabase.Add(c, "from", from);
            ReportDatabase.Add(c, "to", to);
            c.Parameters.AddWithValue("day", q.Date);
            c.Parameters.AddWithValue("limit", q.PageSize);
            c.Parameters.AddWithValue("offset", (q.Page - 1) * q.PageSize);
        }

        var activities = await db.QueryAsync(ActivitySql, Parameters, r => new DiaryActivity(
            ReportDatabase.Column<string>(r, "activity_id"), ReportDatabase.Column<DateTimeOffset>(r, "occurred_at"), ReportDatabase.Column<string>(r, "kind"),
            ReportDatabase.Column<string?>(r, "deal_id"), ReportDatabase.Column<string?>(r, "account"), ReportDatabase.Column<int?>(r, "duration_minutes"),
            ReportDatabase.Column<string?>(r, "outcome"), ReportDatabase.Column<string?>(r, "notes")), ct);
        var moves = await db.QueryAsync(MoveSql, Parameters, r =>
        {
            T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
            return Move(Column<string>("move"), Column<DateTimeOffset>("valid_from"), Column<string>("deal_id"), Column<string>("pipeline_id"), Column<string>("stage"),
                Column<decimal>("amount"), Column<string>("owner"), Column<string?>("previous_owner"), Column<string?>("reason"), Column<string?>("before_stage"));
        }, ct);
        var counted = (await db.QueryAsync(await db.CountedInAsync(q.Zone, ct) ? CountedTotalsSql : TotalsSql, Parameters, r => (
            Activities: ReportDatabase.Column<long>(r, "n"), Minutes: ReportDatabase.Column<long>(r, "minutes"), Move: ReportDatabase.Column<string?>(r, "move"),
            N: ReportDatabase.Column<long?>(r, "moves") ?? 0, Amount: ReportDatabase.Column<decimal?>(r, "amount") ?? 0), ct)).ToList();
        int Count(string move) => (int)counted.Where(m => m.Move == move).Sum(m => m.N);
        var totals = new DiaryTotals((int)counted[0].Activities, (int)counted[0].Minutes, (int)counted.Sum(m => m.N), Count(DealMove.Stage), Count(DealMove.Won),
            counted.Where(m => m.Move == DealMove.Won).Sum(m => m.Amount), Count(DealMove.Lost), Count(DealMove.HandedIn), Count(DealMove.HandedOut));
        var touched = activities.Select(a => a.DealId).OfType<string>().Concat(moves.Select(m => m.DealId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new RepDiary(q.Rep, q.Date, from, to, totals.Activities > 0, totals, activities, moves, touched, q.Page, q.PageSize);
    }

    /// <summary>A move as the rep saw it, with the stages and the other rep it concerns.</summary>
    private static DiaryMove Move(string what, DateTimeOffset at, string dealId, string pipelineId, string stage, decimal amount, string owner,
        string? previousOwner, string? reason, string? beforeStage)
    {
        DiaryMove Of(string? fromStage = null, string? toStage = null, string? other = null) => new(at, dealId, pipelineId, what, amount, fromStage, toStage, other, reason);
        return what switch
        {
            DealMove.HandedOut => Of(other: owner),
            DealMove.HandedIn => Of(other: previousOwner),
            DealMove.Captured or DealMove.Reopened => Of(toStage: stage),
            DealMove.Won or DealMove.Lost => Of(fromStage: beforeStage),
            _ => Of(beforeStage, stage),
        };
    }
}
