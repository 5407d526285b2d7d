
namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    /// <summary>Writes the stage facts a batch began or advanced.</summary>
    public string UpsertFacts { get; } = TimelineRows.UpsertMany(tables.DealStageFacts);

    /// <summary>Adds a batch's net changes to the stage counters.</summary>
    public string AddStageCounts { get; } = AddMany(tables.StageCounts);

    /// <summary>Adds a batch's net dated changes (<see cref="DatedStageCount"/>) to the buckets of their instants.</summary>
    public string AddStageStatusCounts { get; } = $"""
        insert into {tables.StageStatusCounts.Identifier.QualifiedName} as c
        select x.pipeline_id, s.span, case s.span when '{CounterCalendar.Month}' then date_trunc('month', x.day)::date else x.day end,
               x.stage, x.status, x.owner, x.team, x.region, x.product, sum(x.n)
        from (select r.*, {calendar.BucketOf("r.at")} as day
              from jsonb_to_recordset(^::jsonb) as r(pipeline_id text, stage text, status text, owner text, team text, region text, product text, at timestamptz, n bigint)) x
             cross join (values ('{CounterCalendar.Day}'), ('{CounterCalendar.Month}')) as s(span)
        group by 1, 2, 3, 4, 5, 6, 7, 8, 9
        having sum(x.n) <> 0
        on conflict ({string.Join(", ", tables.StageStatusCounts.PrimaryKeyColumns)}) do update set n = c.n + excluded.n
        """;
}
