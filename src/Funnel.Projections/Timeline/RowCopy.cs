using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Rows written with COPY in PostgreSQL's text format, each column from the row's property of that name (snake_case, as
/// the rows' JSON names it; null when it has none). A recount stages millions of rows: as jsonb arrays PostgreSQL built
/// and took apart every one of them. An instant goes as the same digits as in the JSON, so it is rounded the same way.
/// </summary>
internal static class RowCopy
{
    private static readonly ConcurrentDictionary<(Type, string), Func<object, object?>?> Getters = new();

    /// <summary>The characters COPY's text format escapes.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\\\t\n\r");

    /// <summary>How many characters of rows are handed to COPY at a time: a write a row cost a rebuild millions of awaits.</summary>
    private const int CharsAtATime = 1 << 15;

    /// <summary>
    /// Hands the rows gathered in <paramref name="lines"/> (each ended by a newline) to COPY once they reach
    /// <see cref="CharsAtATime"/>, or whatever is left when they are the <paramref name="last"/>.
    /// </summary>
    public static async ValueTask HandOnAsync(TextWriter writer, StringBuilder lines, bool last = false)
    {
        if (last || lines.Length >= CharsAtATime)
        {
            await writer.WriteAsync(lines);
            lines.Clear();
        }
    }

    /// <param name="fields">The columns as "name type, name type, ..." (<see cref="CounterAdd.Fields"/>).</param>
    public static async Task CopyAsync(NpgsqlConnection connection, string table, string fields, IReadOnlyList<object> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var columns = fields.Split(", ").Select(f => f.Split(' ')[0]).ToArray();
        var values = columns.Select(c => ValueOf(rows[0].GetType(), c.Trim('"'))).ToArray();
        await using var writer = await connection.BeginTextImportAsync($"copy {table} ({string.Join(", ", columns)}) from stdin", ct);
        var lines = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < values.Length; i++)
            {
                Append(i == 0 ? lines : lines.Append('\t'), values[i]?.Invoke(row));
            }

            await HandOnAsync(writer, lines.Append('\n'));
        }

        await HandOnAsync(writer, lines, last: true);
    }

    /// <summary>Reads a row's column: its property of that name (snake_case); null when it has none.</summary>
    private static Func<object, object?>? ValueOf(Type type, string column) => Getters.GetOrAdd((type, column), key => Getter(key.Item1, key.Item2));

    /// <summary>A row type's property for a column: the one its name in snake_case names; null when it has none.</summary>
    public static PropertyInfo? PropertyOf(Type type, string column) =>
        type.GetProperties().FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == column);

    private static Func<object, object?>? Getter(Type type, string column)
    {
        var property = PropertyOf(type, column);
        if (property is null)
        {
            return null;
        }

        var row = Expression.Parameter(typeof(object));
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(Expression.Property(Expression.Convert(row, type), property), typeof(object)), row).Compile();
    }

    /// <summary>Appends a value as COPY's text format writes it.</summary>
    public static void Append(StringBuilder line, object? value)
    {
        switch (value)
        {
            case null:
                line.Append(@"\N");
                break;
            case string text:
                // Appended a run at a time up to each character COPY escapes (most text has none).
                var rest = text.AsSpan();
                for (var at = rest.IndexOfAny(Escaped); at >= 0; at = rest.IndexOfAny(Escaped))
                {
                    line.Append(rest[..at]).Append(rest[at] switch { '\\' => @"\\", '\t' => @"\t", '\n' => @"\n", _ => @"\r" });
                    rest = rest[(at + 1)..];
                }

                line.Append(rest);
                break;
            case bool flag:
                line.Append(flag ? 't' : 'f');
                break;
            case DateOnly day:
                line.Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset at:
                line.Append(TimelineRows.Instant(at));
                break;
            case IFormattable number:
                line.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                // A nested object (a deal's state) goes to its jsonb column as the row's JSON carries it.
                Append(line, TimelineRows.Serialize(value));
                break;
        }
    }
}
