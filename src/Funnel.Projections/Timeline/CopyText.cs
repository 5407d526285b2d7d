using System.Buffers;
using System.Globalization;
using System.Text;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Rows written with COPY in PostgreSQL's text format (<see cref="CounterSums"/>: its keys' values are written as text
/// once each, then as often as their groups need them).
/// </summary>
internal static class CopyText
{
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

    /// <summary>Appends a value as COPY's text format writes it; an instant as the same digits as in the rows' JSON, so it is rounded the same way.</summary>
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
                throw new InvalidOperationException($"COPY's text format is not written here for a {value.GetType().Name}.");
        }
    }
}
