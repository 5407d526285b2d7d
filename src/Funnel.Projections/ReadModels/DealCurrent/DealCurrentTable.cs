using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>Each deal as it stands now.</summary>
    public Table DealCurrent { get; } = Define(schema, TimelineTables.DealCurrent,
        columns: ["deal_id text key", .. DealColumns, "captured_at timestamptz", "stage_entered_at timestamptz", "closed_at timestamptz?", "status_changed_at timestamptz", "version integer", "last_seq bigint",
            "last_activity_at timestamptz?", "last_touch_at timestamptz?"],
        Index("ix_deal_current_status", ["pipeline_id", "status", "stage"]),
        // The deals page: a pipeline's deals of a status in id order, a page at a time.
        Index("ix_deal_current_page", ["pipeline_id", "status", "deal_id"]),
        // The open deals least recently touched first (untouched).
        Index("ix_deal_current_untouched", ["pipeline_id", "last_touch_at", "deal_id"], where: "status = 'open'", include: ["owner", "team", "region", "product"]),
        Index("ix_deal_current_owner", ["pipeline_id", "owner"]),
        Index("ix_deal_current_closed", ["pipeline_id", "closed_at"], where: "status <> 'open'", include: ["status", "amount", "captured_at", "owner", "team", "region", "product"]));

    /// <summary>Running counts (and amounts) of deals by status, loss reason and filter attributes: totals and losses as they stand.</summary>
    public Table DealCounts { get; } = Define(schema, TimelineTables.DealCounts, columns: ["pipeline_id text key", "loss_reason text key", .. CountKeyColumns, "n bigint", "amount numeric"]);

    /// <summary>
    /// The closed deals (<see cref="CloseCount"/>) by the day and month of their current close in the organisation's zone,
    /// won or lost, and filter attributes: how many, their amount and their cycles from capture (microseconds), for the
    /// closes of a window (velocity) without reading the deals.
    /// </summary>
    public Table CloseCounts { get; } = Define(schema, TimelineTables.CloseCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", .. CountKeyColumns, "n bigint", "amount numeric", "cycle_micros bigint"]);

    /// <summary>
    /// The open deals (<see cref="OpenTouchCount"/>) by the day and month of their last touch in the organisation's zone
    /// and filter attributes: how many have gone untouched since before any instant, without reading the deals.
    /// </summary>
    public Table OpenTouchCounts { get; } = Define(schema, TimelineTables.OpenTouchCounts,
        columns: ["pipeline_id text key", "span text key", "bucket date key", "owner text key", "team text key", "region text key", "product text key", "n bigint"]);
}
