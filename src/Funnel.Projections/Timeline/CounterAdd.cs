using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// A statement that adds rows to a counter, from any source of rows with the columns <see cref="Fields"/>: a batch's
/// rows as a jsonb array (<see cref="Rows"/>), or the rows a recount staged in a table of its own (<see cref="From"/>).
/// </summary>
/// <param name="from">The statement for a source: an SQL from-item that names its rows <c>r</c>.</param>
internal sealed class CounterAdd(Table counts, string fields, Func<string, string> from)
{
    public Table Counts => counts;

    /// <summary>The rows' columns and their types, as SQL column definitions.</summary>
    public string Fields => fields;

    /// <summary>The statement that adds the rows of the jsonb array in Marten's placeholder.</summary>
    public string Rows { get; } = from(JsonRows(TimelineRows.Placeholder.ToString(), fields));

    /// <summary>A from-item of the rows given as a jsonb array in <paramref name="parameter"/>, typed as <see cref="Fields"/>.</summary>
    public string JsonRows(string parameter) => JsonRows(parameter, fields);

    /// <summary>The statement that adds the rows of <paramref name="source"/> (a from-item naming its rows <c>r</c>).</summary>
    public string From(string source) => from(source);

    private static string JsonRows(string parameter, string fields) => $"jsonb_to_recordset({parameter}::jsonb) as r({fields})";
}
