using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record ChangesQuery(string PipelineId, ReportFilter Filter, DateTimeOffset Since, DateTimeOffset Until, bool Explain);

public sealed record StageChanges(
    string Stage, long Entered, long Left, long Advanced, long Regressed, long Won, long Lost, long Net,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? EnteredDeals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? LeftDeals);

public sealed record ClosedChanges(long Count, decimal Amount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Deals);

public sealed record AmountChange(string DealId, string Stage, decimal From, decimal To, DateTimeOffset At);

/// <summary>What moved in [since, until): the "what changed since last week" review.</summary>
public sealed record ChangesReport(DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<StageChanges> Stages, ClosedChanges Won, ClosedChanges Lost, IReadOnlyList<AmountChange> AmountChanges) : IReportAnswer
{
    // Stays that began or ended in the window, per stage, by how they ended. Filters apply to the deal's current values.
    private static string StagesSql(bool explain) => $"""
        with r as (
            select r.stage, r.deal_id, r.entered_at, r.exited_at, r.exit_kind, r.exited_seq from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and {ReportFilter.Sql("r")}
              and ((r.entered_at >= @since and r.entered_at < @until) or (r.exited_at >= @since and r.exited_at < @until))
        ), x as (
            select r.*, r.entered_at >= @since and r.entered_at < @until as came, r.exited_at >= @since and r.exited_at < @until as went from r
        )
        select s.stage,
               count(*) filter (where came), count(*) filter (where went),
               count(*) filter (where went and exit_kind = 'advanced'), count(*) filter (where went and exit_kind = 'regressed'),
               count(*) filter (where went and exit_kind = 'won'), count(*) filter (where went and exit_kind = 'lost'),
               {DealLists.When(explain, "coalesce(array_agg(distinct deal_id) filter (where came), array[]::text[])")},
               {DealLists.When(explain, "coalesce(array_agg(distinct deal_id) filter (where went), array[]::text[])")}
        from unnest(@stages) with ordinality as s(stage, n) left join x on x.stage = s.stage
        group by s.stage, s.n order by s.n
        """;

    // Wins and losses in the window, at the amount they closed with: a closed deal's intervals begin only with its closing.
    private static string ClosedSql(bool explain) => $"""
        select i.status, count(*), coalesce(sum(i.amount), 0), {DealLists.When(explain, "array_agg(i.deal_id order by i.deal_id)")}
        from {TimelineTables.DealIntervals} i
        where i.pipeline_id = @pipeline and i.valid_from >= @since and i.valid_from < @until and i.status <> 'open' and {ReportFilter.Sql("i")}
        group by i.status
        """;

    private static readonly string AmountsSql = $"""
        select i.deal_id, i.stage, p.amount, i.amount, i.valid_from
        from {TimelineTables.DealIntervals} i
        join {TimelineTables.DealIntervals} p on p.deal_id = i.deal_id and p.version = i.version - 1
        where i.pipeline_id = @pipeline and i.valid_from >= @since and i.valid_from < @until and i.amount <> p.amount and {ReportFilter.Sql("i")}
        order by i.valid_from, i.deal_id
        """;

    public static async Task<ChangesReport> RunAsync(ReportDatabase db, ChangesQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        void Parameters(Npgsql.NpgsqlCommand c)
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "since", q.Since);
            ReportDatabase.Add(c, "until", q.Until);
            c.Parameters.AddWithValue("stages", stageOrder.ToArray());
            q.Filter.AddParameters(c);
        }

        var stages = await db.QueryAsync(StagesSql(q.Explain), Parameters, r => new StageChanges(
            r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(1) - r.GetInt64(2),
            q.Explain ? ReportDatabase.Strings(r, 7) : null, q.Explain ? ReportDatabase.Strings(r, 8) : null), ct);
        var closed = (await db.QueryAsync(ClosedSql(q.Explain), Parameters, r => (Status: r.GetString(0), Changes: new ClosedChanges(r.GetInt64(1), r.GetDecimal(2), q.Explain ? ReportDatabase.Strings(r, 3) : null)), ct))
            .ToDictionary(c => c.Status, c => c.Changes);
        var amounts = await db.QueryAsync(AmountsSql, Parameters, r => new AmountChange(r.GetString(0), r.GetString(1), r.GetDecimal(2), r.GetDecimal(3), r.GetFieldValue<DateTimeOffset>(4)), ct);
        var none = new ClosedChanges(0, 0, q.Explain ? [] : null);
        return new ChangesReport(q.Since, q.Until, stages, closed.GetValueOrDefault("won") ?? none, closed.GetValueOrDefault("lost") ?? none, amounts);
    }
}
