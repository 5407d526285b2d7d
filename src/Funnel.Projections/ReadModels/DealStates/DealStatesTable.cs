using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

public sealed partial class TimelineTableSet
{
    /// <summary>
    /// The projection's own running state per deal (so a batch never re-reads history), apart from what reports read: its
    /// JSON as text, since nothing in PostgreSQL reads inside it (as jsonb, copying a million deals' states cost it 35 s, as text 11).
    /// </summary>
    public Table DealStates { get; } = Define(schema, TimelineTables.DealStates, columns: ["deal_id text key", "state text"]);
}
