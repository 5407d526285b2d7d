namespace Funnel.Host.Importing;

public static class RejectedRows
{
    /// <summary>line, deal_id, field, rule, reason: so the rows can be fixed and imported again.</summary>
    public static async Task WriteAsync(string path, IReadOnlyList<RejectedRow> rows)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync("line,deal_id,field,rule,reason");
        foreach (var row in rows)
        {
            await writer.WriteLineAsync($"{row.Line},{Quote(row.DealId)},{Quote(row.Field)},{row.Rule},{Quote(row.Reason)}");
        }
    }

    private static string Quote(string value) => $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
