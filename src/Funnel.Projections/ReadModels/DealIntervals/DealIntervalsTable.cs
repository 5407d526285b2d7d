using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>One row per period in which a deal's reportable state held: [valid_from, valid_to) in business time.</summary>
    public Table DealIntervals { get; } = Define(schema, TimelineTables.Names.DealIntervals, DealIntervalColumns);

    /// <summary>The columns of a deal's interval that point-in-time reports read (besides pipeline, times and status).</summary>
    public static readonly string[] IntervalReadColumns = ["deal_id", "seq", "stage", "status", "amount", "owner", "team", "region", "product", "expected_close"];

    private static void DealIntervalColumns(Table t)
    {
        t.AddColumn("deal_id", "text").AsPrimaryKey();
        t.AddColumn("version", "integer").AsPrimaryKey();
        AddDealColumns(t);
        t.AddColumn("valid_from", "timestamptz").NotNull();
        t.AddColumn("valid_to", "timestamptz").AllowNulls();
        t.AddColumn("period", "tstzrange").NotNull();
        t.AddColumn("seq", "bigint").NotNull();
        t.AddColumn("recorded_at", "timestamptz").NotNull();
        t.AddColumn("closed_seq", "bigint").AllowNulls();
        t.AddColumn("closed_recorded_at", "timestamptz").AllowNulls();

        // Point-in-time reads: open periods by a range index, closed ones (whose last period never ends) by their start.
        // Both carry what snapshots, forecasts and velocity read, so they are answered from the index alone.
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_open_period")
        {
            Columns = ["period"], Method = IndexMethod.gist, Predicate = "status = 'open'", IncludeColumns = ["pipeline_id", "recorded_at", .. IntervalReadColumns],
        });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_closed_from")
        {
            Columns = ["pipeline_id", "valid_from"], Predicate = "status <> 'open'", IncludeColumns = ["valid_to", "recorded_at", .. IntervalReadColumns],
        });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_recorded") { Columns = ["pipeline_id", "recorded_at"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_valid_from") { Columns = ["pipeline_id", "valid_from"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_intervals_closed_recorded") { Columns = ["closed_recorded_at"], Predicate = "closed_recorded_at is not null" });
    }
}
