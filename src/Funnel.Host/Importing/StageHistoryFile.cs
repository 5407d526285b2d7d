using System.Globalization;
using Funnel.Domain.Importing;

namespace Funnel.Host.Importing;

/// <summary>
/// The generic stage-history layout: one row per change, with a header naming the columns
/// deal_id, occurred_at, stage, amount, owner, team, region, product, account, outcome, reason (any order; the first three required).
/// </summary>
public static class StageHistoryFile
{
    public static readonly string[] Columns = ["deal_id", "occurred_at", "stage", "amount", "owner", "team", "region", "product", "account", "outcome", "reason"];

    public static (List<IGrouping<string, HistoryRow>> Deals, List<RejectedRow> Unreadable) Read(TextReader reader)
    {
        var rows = Csv.Read(reader).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidDataException("The file is empty: it needs a header row naming its columns.");
        }

        var header = rows[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = Columns.Take(3).Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The header lacks {string.Join(", ", missing)}; the columns are {string.Join(", ", Columns)}.");
        }

        var read = new List<HistoryRow>();
        var unreadable = new List<RejectedRow>();
        foreach (var (line, fields) in rows.Skip(1))
        {
            string? Field(string name) => header.IndexOf(name) is var i && i >= 0 && i < fields.Length && fields[i].Trim().Length > 0 ? fields[i].Trim() : null;
            var dealId = Field("deal_id") ?? "";
            if (dealId.Length == 0)
            {
                unreadable.Add(new RejectedRow(line, "", "deal_id", "required", "deal_id is empty."));
            }
            else if (!DateTimeOffset.TryParse(Field("occurred_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                unreadable.Add(new RejectedRow(line, dealId, "occurred_at", "instant", $"occurred_at '{Field("occurred_at")}' is not a date or ISO 8601 instant."));
            }
            else if (Field("amount") is { } text && !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            {
                unreadable.Add(new RejectedRow(line, dealId, "amount", "number", $"amount '{text}' is not a number."));
            }
            else
            {
                var amount = Field("amount") is { } a ? decimal.Parse(a, NumberStyles.Number, CultureInfo.InvariantCulture) : (decimal?)null;
                read.Add(new HistoryRow(line, dealId, at.ToUniversalTime(), Field("stage"), amount, Field("owner"), Field("team"), Field("region"), Field("product"),
                    Field("account"), Field("outcome"), Field("reason")));
            }
        }

        return (read.GroupBy(r => r.DealId).ToList(), unreadable);
    }
}
