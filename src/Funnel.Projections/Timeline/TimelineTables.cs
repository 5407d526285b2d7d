using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>The read models' table names, in one place: within a schema (as the projection creates them in any) and as reports read them.</summary>
public static class TimelineTables
{
    /// <summary>The schema of the default tenant's read models.</summary>
    public const string Schema = StoreTables.Schema;

    // The tables' names within a schema. Reports name them so, unqualified: their connection's search_path is the
    // calling tenant's read-model schema (ReportDatabase), so a report can only ever read that tenant's rows.
    public const string PipelineVersions = "pipeline_versions";

    public const string DealIntervals = "deal_intervals";

    public const string StageResidencies = "stage_residencies";

    public const string DealStageFacts = "deal_stage_facts";

    public const string DealCurrent = "deal_current";

    public const string StageCounts = "stage_counts";

    public const string DwellCounts = "dwell_counts";

    public const string DealCounts = "deal_counts";

    public const string IntervalCounts = "interval_counts";

    public const string StageStatusCounts = "stage_status_counts";

    public const string OpenCloseCounts = "open_close_counts";

    public const string ActivityCounts = "activity_counts";

    public const string EffortCounts = "effort_counts";

    public const string EffortDatedCounts = "effort_dated_counts";

    public const string AdvanceCounts = "advance_counts";

    public const string CloseCounts = "close_counts";

    public const string OpenStayCounts = "open_stay_counts";

    public const string OpenStayTotals = "open_stay_totals";

    public const string AmountChanges = "amount_changes";

    public const string AmountChangeCounts = "amount_change_counts";

    public const string StayChangeCounts = "stay_change_counts";

    public const string StayChangeTotals = "stay_change_totals";

    public const string EndedStayTotals = "ended_stay_totals";

    public const string EndedStayHourTotals = "ended_stay_hour_totals";

    public const string StayEntryTotals = "stay_entry_totals";

    public const string StayEntryMonthTotals = "stay_entry_month_totals";

    public const string OpenTouchCounts = "open_touch_counts";

    public const string HandoverCounts = "handover_counts";

    public const string RepDayDeals = "rep_day_deals";

    public const string RepDayTeamDeals = "rep_day_team_deals";

    public const string RepDayMoves = "rep_day_moves";

    public const string KnownIntervalCounts = "known_interval_counts";

    public const string DwellHourCounts = "dwell_hour_counts";

    public const string DwellTotals = "dwell_totals";

    public const string DwellHourTotals = "dwell_hour_totals";

    public const string EffortDatedTotals = "effort_dated_totals";

    public const string TouchSpans = "touch_spans";

    public const string TouchSpanCounts = "touch_span_counts";

    public const string TouchSpanAttributeCounts = "touch_span_attribute_counts";

    public const string OpenSpanCounts = "open_span_counts";

    public const string CounterCalendar = "counter_calendar";

    public const string DealStates = "deal_projection_state";

    public const string Activities = "activities";

    /// <summary>The default tenant's read models, in the store's own schema as before tenants.</summary>
    public static readonly TimelineTableSet Live = new(Schema);
}

/// <summary>
/// The flat, time-bounded tables the timeline projection writes and every report reads with indexed queries, in one
/// schema: the live one, or a copy rebuilt beside it to verify it. Business time (occurredAt) bounds the intervals;
/// recorded time (Marten's timestamp) answers "as known at". Each read model's table is declared in its folder under ReadModels/.
/// </summary>
public sealed partial class TimelineTableSet(string schema)
{
    public string Schema => schema;

    /// <summary>The running counters (column n, and sums beside it): a row at zero counts nothing, as no row does.</summary>
    public IReadOnlyList<Table> Counters => [StageCounts, DwellCounts, DealCounts, IntervalCounts, OpenCloseCounts, StageStatusCounts, ActivityCounts, EffortCounts, EffortDatedCounts, AdvanceCounts, CloseCounts, OpenStayCounts, OpenTouchCounts, HandoverCounts, RepDayDeals, RepDayTeamDeals, RepDayMoves, KnownIntervalCounts, DwellHourCounts, DwellTotals, DwellHourTotals, EffortDatedTotals, TouchSpanCounts, TouchSpanAttributeCounts, OpenSpanCounts, OpenStayTotals, StayChangeCounts, StayChangeTotals, EndedStayTotals, EndedStayHourTotals, StayEntryTotals, StayEntryMonthTotals, AmountChangeCounts];

    /// <summary>Empties every table at once (a rebuild's start, or the start of a fold over a rebuild that stopped halfway).</summary>
    public string TruncateAll => $"truncate {string.Join(", ", All.Select(t => t.Identifier.QualifiedName))}";

    public IReadOnlyList<Table> All =>
        [PipelineVersions, DealIntervals, StageResidencies, DealStageFacts, DealCurrent, StageCounts, DwellCounts, DealCounts, IntervalCounts, OpenCloseCounts,
         StageStatusCounts, CounterCalendar, DealStates, Activities, ActivityCounts, EffortCounts, EffortDatedCounts, AdvanceCounts, CloseCounts, OpenStayCounts, OpenTouchCounts, HandoverCounts, RepDayDeals, RepDayTeamDeals, RepDayMoves, KnownIntervalCounts, DwellHourCounts, DwellTotals, DwellHourTotals, EffortDatedTotals, TouchSpans, TouchSpanCounts, TouchSpanAttributeCounts, OpenSpanCounts, OpenStayTotals, StayChangeCounts, StayChangeTotals, EndedStayTotals, EndedStayHourTotals, StayEntryTotals, StayEntryMonthTotals, AmountChanges, AmountChangeCounts];

    /// <summary>What a deal is at an instant, on each row of its intervals and of its current state.</summary>
    private static readonly string[] DealColumns =
        ["pipeline_id text", "stage text", "status text", "amount numeric", "currency text", "owner text", "team text?", "region text?", "product text?", "account text?", "expected_close date?", "loss_reason text?"];

    /// <summary>The deal's current status (and since when) and filter attributes, kept on its rows so reports read one table.</summary>
    private static readonly string[] AttributeColumns = ["status text", "status_changed_at timestamptz", "owner text", "team text?", "region text?", "product text?"];

    /// <summary>Key columns of the counters: status and filter attributes, '' for none (a key column cannot be null).</summary>
    private static readonly string[] CountKeyColumns = ["status text key", "owner text key", "team text key", "region text key", "product text key"];

    /// <summary>A table from its columns, each "name type" ("name type?" when it may be null, "name type key" in the primary key).</summary>
    private static Table Define(string schema, string name, string[] columns, params IndexDefinition[] indexes)
    {
        var table = new Table(new PostgresqlObjectName(schema, name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        foreach (var spec in columns)
        {
            _ = spec.Split(' ') switch
            {
                [var column, var type, "key"] => table.AddColumn(column, type).AsPrimaryKey(),
                [var column, var type] when type.EndsWith('?') => table.AddColumn(column, type[..^1]).AllowNulls(),
                [var column, var type] => table.AddColumn(column, type).NotNull(),
                _ => throw new ArgumentException($"'{spec}' is not 'name type', 'name type?' or 'name type key'."),
            };
        }

        foreach (var index in indexes)
        {
            table.Indexes.Add(index);
        }

        // A dated counter's days, months and years each in a table of their own: the state at a day reads a few hundred
        // year and month rows, and spread among the day rows (each year row is first written on some day of its year) they
        // cost a page each: the effort counts at a midnight at a million deals read 5,028 rows from 3,487 pages (70 ms)
        // where, packed, they take 64 (5 ms).
        if (table.HasColumn(SpanColumn))
        {
            table.PartitionByList(SpanColumn)
                .AddPartition(Timeline.CounterCalendar.Day, Timeline.CounterCalendar.Day)
                .AddPartition(Timeline.CounterCalendar.Month, Timeline.CounterCalendar.Month)
                .AddPartition(Timeline.CounterCalendar.Year, Timeline.CounterCalendar.Year)
                .DisableDefaultPartition();
        }

        return table;
    }

    /// <summary>The column of a dated counter that says whether a row is a day's, a month's or a year's (<see cref="Timeline.CounterCalendar"/>).</summary>
    private const string SpanColumn = "span";

    private static IndexDefinition Index(string name, string[] on, string[]? include = null, string? where = null, IndexMethod method = IndexMethod.btree) =>
        new(name) { Columns = on, IncludeColumns = include, Predicate = where, Method = method };
}
