using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>The projection's own running state per deal (so a batch never re-reads history), apart from what reports read.</summary>
    public Table DealStates { get; } = Define(schema, TimelineTables.DealStates, columns: ["deal_id text key", "state jsonb"]);
}
