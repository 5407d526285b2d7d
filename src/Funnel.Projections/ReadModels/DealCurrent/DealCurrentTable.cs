using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>Each deal as it stands now.</summary>
    public Table DealCurrent { get; } = Define(schema, TimelineTables.Names.DealCurrent, DealCurrentColumns);

    private static void DealCurrentColumns(Table t)
    {
        t.AddColumn("deal_id", "text").AsPrimaryKey();
        AddDealColumns(t);
        t.AddColumn("captured_at", "timestamptz").NotNull();
        t.AddColumn("stage_entered_at", "timestamptz").NotNull();
        t.AddColumn("closed_at", "timestamptz").AllowNulls();
        t.AddColumn("status_changed_at", "timestamptz").NotNull();
        t.AddColumn("version", "integer").NotNull();
        t.AddColumn("last_seq", "bigint").NotNull();
        t.Indexes.Add(new IndexDefinition("ix_deal_current_status") { Columns = ["pipeline_id", "status", "stage"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_current_owner") { Columns = ["pipeline_id", "owner"] });
        t.Indexes.Add(new IndexDefinition("ix_deal_current_closed")
        {
            Columns = ["pipeline_id", "closed_at"], Predicate = "status <> 'open'", IncludeColumns = ["status", "amount", "captured_at", "owner", "team", "region", "product"],
        });
    }

    /// <summary>Running counts (and amounts) of deals by status, loss reason and filter attributes: totals and losses as they stand.</summary>
    public Table DealCounts { get; } = Define(schema, TimelineTables.Names.DealCounts, DealCountColumns);

    private static void DealCountColumns(Table t)
    {
        t.AddColumn("pipeline_id", "text").AsPrimaryKey();
        t.AddColumn("loss_reason", "text").AsPrimaryKey();
        AddCountKeyColumns(t);
        t.AddColumn("n", "bigint").NotNull();
        t.AddColumn("amount", "numeric").NotNull();
    }
}
