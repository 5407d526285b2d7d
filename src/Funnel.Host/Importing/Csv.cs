using System.Text;

namespace Funnel.Host.Importing;

/// <summary>RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. Yields (first line number, fields).</summary>
public static class Csv
{
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, start, quoted, any) = (1, 1, false, false);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (quoted)
            {
                if (c == '"' && reader.Peek() == '"')
                {
                    field.Append('"');
                    reader.Read();
                }
                else if (c == '"')
                {
                    quoted = false;
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
                case '"': quoted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    if (fields.Count > 1 || fields[0].Length > 0)
                    {
                        yield return (start, fields.ToArray());
                    }

                    fields.Clear();
                    start = ++line;
                    any = false;
                    break;
                default: field.Append((char)c); break;
            }
        }

        if (any)
        {
            fields.Add(field.ToString());
            yield return (start, fields.ToArray());
        }
    }
}
