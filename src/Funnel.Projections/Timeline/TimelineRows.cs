using System.Text.Json;
using System.Text.Json.Serialization;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>Writes a row as one jsonb parameter (jsonb_populate_record), so nullable columns need no parameter typing.</summary>
public static class TimelineRows
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Marten's default '?' placeholder collides with PostgreSQL's jsonb operators; this one cannot.</summary>
    public const char Placeholder = '^';

    public static string Upsert(Table table) => Upsert(table, "jsonb_populate_record");

    /// <summary>The same for a jsonb array of rows (whose keys must be distinct): one statement for a whole batch.</summary>
    public static string UpsertMany(Table table) => Upsert(table, "jsonb_populate_recordset");

    private static string Upsert(Table table, string populate)
    {
        var keys = table.PrimaryKeyColumns;
        var others = table.Columns.Select(c => c.Name).Where(c => !keys.Contains(c)).ToList();
        // PostgreSQL wants ROW(...) for a one-column list, so spell each assignment out.
        return InsertFrom(table, $"{populate}(null::{table.Identifier.QualifiedName}, ^::jsonb)") +
            $" on conflict ({string.Join(", ", keys)}) do update set {string.Join(", ", others.Select(c => $"{c} = excluded.{c}"))}";
    }

    /// <summary>Inserts the rows of <paramref name="source"/> (a from-item with the table's columns).</summary>
    public static string InsertFrom(Table table, string source) => $"insert into {table.Identifier.QualifiedName} as t select * from {source}";

    /// <summary>The table's columns as SQL column definitions ("name type, ...").</summary>
    public static string Fields(Table table) => string.Join(", ", table.Columns.Select(c => $"{c.Name} {c.Type}"));

    /// <summary>
    /// An instant as the text the rows' JSON carries, for statements to cast: PostgreSQL then rounds sub-microsecond
    /// ticks the same way whether a time arrives in a row or as a parameter (a DateTimeOffset parameter would truncate).
    /// </summary>
    public static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);

    public static string Serialize(object row) => JsonSerializer.Serialize(row, Json);

    /// <summary>
    /// Queues a statement whose parameters come by name: the fields of <paramref name="parameters"/> (snake_case) in one
    /// jsonb object, which the statement reads as the row <c>p</c> (<see cref="Parameters"/>): an argument cannot bind to
    /// another's place.
    /// </summary>
    public static void QueueNamed(Marten.IDocumentOperations operations, string statement, object parameters) =>
        operations.QueueSqlCommand(Placeholder, statement, Serialize(parameters));

    /// <summary>SQL: the named parameters as the row <c>p</c>, each field with its type ("deal_id text", "at timestamptz").</summary>
    public static string Parameters(params string[] fields) => $"jsonb_to_record(^::jsonb) as p({string.Join(", ", fields)})";
}
