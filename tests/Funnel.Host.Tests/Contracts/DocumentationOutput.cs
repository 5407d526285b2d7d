using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Funnel.Host.Tests.Contracts;

/// <summary>
/// What a docs block shows it prints: the ```output block right after it, written by the test that runs the block.
/// A line of JSON is shown indented; a last line "…" shows only the lines above it (the writer keeps that cut). What
/// differs on every run (the clock's instants, recorded times, trace and correlation ids, cursors, keys, lags, durations,
/// rates, ports) is compared as "…", and shown as the run that wrote it printed it.
/// </summary>
/// <param name="Start">Where the block's text starts in its document.</param>
/// <param name="Text">The block's text, as the document has it.</param>
public sealed partial record DocumentationOutput(int Start, string Text)
{
    private const string CutMark = "…";

    /// <summary>How many lines a new block that holds only the cut mark shows.</summary>
    private const int FirstCut = 20;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The ```output block that follows a block ending at <paramref name="index"/> (blank lines between), if any.</summary>
    public static DocumentationOutput? After(string markdown, int index)
    {
        var block = OutputBlock().Match(markdown, index);
        return block.Success ? new DocumentationOutput(block.Groups[1].Index, block.Groups[1].Value) : null;
    }

    public bool Shows(string printed) => Masked(Text) == Masked(Rewritten(printed));

    /// <summary>This block's text for what a run printed: all of it, or as many lines as the block shows before its cut.</summary>
    public string Rewritten(string printed)
    {
        var lines = Display(printed);
        var shown = Lines(Text);
        var keep = shown is [CutMark] ? FirstCut : shown.Count - 1;
        if (shown.Count > 0 && shown[^1] == CutMark && lines.Count > keep)
        {
            lines = [.. lines.Take(keep), CutMark];
        }

        return lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
    }

    /// <summary>The document with each of its output blocks rewritten for what its block printed.</summary>
    public static string Write(string markdown, IEnumerable<(DocumentationOutput Shown, string Printed)> outputs)
    {
        foreach (var (shown, printed) in outputs.OrderByDescending(o => o.Shown.Start))
        {
            markdown = markdown[..shown.Start] + shown.Rewritten(printed) + markdown[(shown.Start + shown.Text.Length)..];
        }

        return markdown;
    }

    private static List<string> Display(string printed)
    {
        var lines = new List<string>();
        foreach (var line in Lines(printed))
        {
            if (line.StartsWith('{') || line.StartsWith('['))
            {
                try
                {
                    using var json = JsonDocument.Parse(line);
                    lines.AddRange(Lines(JsonSerializer.Serialize(json.RootElement, Indented)));
                    continue;
                }
                catch (JsonException)
                {
                    // Not JSON after all: shown as printed.
                }
            }

            lines.Add(line);
        }

        return lines;
    }

    private static List<string> Lines(string text)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static string Masked(string text)
    {
        text = Volatile().Replace(text, "\"$1\": \"…\"");
        text = Now().Replace(text, "…");
        text = Key().Replace(text, "fk_…");
        text = Duration().Replace(text, "… s");
        text = Rate().Replace(text, "… rows/s");
        return Port().Replace(text, "port …");
    }

    [GeneratedRegex(@"\G\n*```output\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex OutputBlock();

    [GeneratedRegex(@"""(recordedAt|traceId|correlationId|causationId|cursor|lagEvents|lagSeconds|durationMs)"": (""[^""]*""|-?[0-9.]+|null)")]
    private static partial Regex Volatile();

    /// <summary>
    /// The clock's instants: with a fraction of a second (a default asOf, a command's time), never a document's; or as a
    /// table prints them (a key's creation).
    /// </summary>
    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\.\d+(Z|[+-]\d{2}:\d{2})| \d{2}:\d{2}:\d{2}Z)")]
    private static partial Regex Now();

    [GeneratedRegex(@"\b\d+ rows/s\b")]
    private static partial Regex Rate();

    [GeneratedRegex(@"fk_[A-Za-z0-9_-]{43}")]
    private static partial Regex Key();

    [GeneratedRegex(@"\b\d+(\.\d+)? m?s\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\bport \d+")]
    private static partial Regex Port();
}
