using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// A statement that adds rows to a counter, from any source of rows with the columns <see cref="Fields"/>: a batch's
/// rows as a jsonb array (<see cref="Rows"/>), or a recount's into the emptied counter (<see cref="IntoEmpty"/>).
/// </summary>
/// <param name="groups">How the statement groups the rows, for a recount that sums them in memory (<see cref="CounterSums"/>).</param>
/// <param name="from">The statement for a source (an SQL from-item that names its rows <c>r</c>), and whether the counters are empty.</param>
internal sealed class CounterAdd(Table counts, string fields, CounterGroups groups, Func<string, bool, string> from)
{
    public Table Counts => counts;

    public CounterGroups Groups => groups;

    /// <summary>The rows' columns and their types, as SQL column definitions.</summary>
    public string Fields => fields;

    /// <summary>The statement that adds the rows of the jsonb array in Marten's placeholder.</summary>
    public string Rows { get; } = from(JsonRows(TimelineRows.Placeholder.ToString(), fields), false);

    /// <summary>The statement that writes the rows of <paramref name="source"/> (a from-item naming its rows <c>r</c>) into empty counters.</summary>
    public string IntoEmpty(string source) => from(source, true);

    private static string JsonRows(string parameter, string fields) => $"jsonb_to_recordset({parameter}::jsonb) as r({fields})";
}
