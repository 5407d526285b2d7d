using System.Text;

namespace Funnel.Host.Importing;

/// <summary>A file that is not RFC 4180 CSV, with where: the line and the field (both from 1).</summary>
public sealed class CsvFormatException(int line, int column, string problem)
    : FormatException($"line {line}, column {column}: {problem}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>
/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; lines end in LF or CRLF. Yields (first
/// line number, fields). Anything else is refused with its line and column, never guessed at: an unterminated quote, a
/// quote inside an unquoted field, text after a closing quote, a carriage return on its own.
/// </summary>
public static class Csv
{
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, start, any) = (1, 1, false);
        var (quoted, closed, quoteLine) = (false, false, 0);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            var column = fields.Count + 1;
            if (quoted)
            {
                if (c == '"' && reader.Peek() == '"')
                {
                    field.Append('"');
                    reader.Read();
                }
                else if (c == '"')
                {
                    (quoted, closed) = (false, true);
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append((char)c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !closed:
                    (quoted, quoteLine) = (true, line);
                    break;
                case '"':
                    throw new CsvFormatException(line, column, "a quote inside a field that does not begin with one (quote the whole field and double the quote).");
                case ',':
                    fields.Add(field.ToString());
                    (field.Length, closed) = (0, false);
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\r':
                    throw new CsvFormatException(line, column, "a carriage return that does not end a line (lines end in LF or CRLF).");
                case '\n':
                    fields.Add(field.ToString());
                    (field.Length, closed) = (0, false);
                    if (fields.Count > 1 || fields[0].Length > 0)
                    {
                        yield return (start, fields.ToArray());
                    }

                    fields.Clear();
                    start = ++line;
                    any = false;
                    break;
                case var _ when closed:
                    throw new CsvFormatException(line, column, "text after a field's closing quote (a field is quoted whole, or not at all).");
                default:
                    field.Append((char)c);
                    break;
            }
        }

        if (quoted)
        {
            throw new CsvFormatException(quoteLine, fields.Count + 1, "a quote opened here is never closed.");
        }

        if (any)
        {
            fields.Add(field.ToString());
            yield return (start, fields.ToArray());
        }
    }
}
