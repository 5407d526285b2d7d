using System.Text.Json;

namespace Funnel.Host.Dashboard;

/// <summary>One event of a deal's history as a manager reads it: what happened, in a few words.</summary>
public static class HistoryLine
{
    public static string Describe(string type, object data)
    {
        if (data is not JsonElement e)
        {
            return type;
        }

        string Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";
        string Money(string name) => e.TryGetProperty(name, out var v) && v.TryGetDecimal(out var d) ? Format.Amount(d) : "";
        return type switch
        {
            "deal_captured" => $"captured in {Text("stage")} for {Money("amount")} {Text("currency")}, owner {Text("owner")}",
            "deal_stage_changed" => $"{(Text("regression") == "True" ? "moved back" : "moved")} {Text("fromStage")} → {Text("toStage")}",
            "quote_sent" => $"quote {Text("quoteId")} sent: {Money("previousAmount")} → {Money("amount")}",
            "deal_amount_changed" => $"amount {Money("previousAmount")} → {Money("amount")}",
            "deal_owner_reassigned" => $"owner {Text("previousOwner")} → {Text("owner")}",
            "deal_expected_close_date_changed" => $"expected close {(Text("expectedCloseDate") is { Length: > 0 } d ? d : "cleared")}",
            "deal_won" => $"won in {Text("stage")} for {Money("amount")}",
            "deal_lost" => $"lost in {Text("stage")}: {Text("reason")}",
            "activity_logged" => $"{Text("kind")} by {Text("rep")}{(Text("outcome") is { Length: > 0 } o ? $": {o}" : "")}",
            "deal_reopened" => $"reopened in {Text("stage")} (was {Text("previousStatus")})",
            _ => type.Replace('_', ' '),
        };
    }
}
