using System.Globalization;
using Funnel.Domain.Importing;
using Funnel.Domain.Pipelines;

namespace Funnel.Host.Importing;

/// <summary>
/// The layout of the public CRM sample data set (sales_pipeline.csv, sales_teams.csv, products.csv) as deal histories
/// in pipeline <c>crm</c>. Engaged deals are captured into engaging at engage_date (midnight UTC) at the product's list
/// price, and won at close_value or lost at close_date. Prospecting deals have no dates: they are captured into
/// prospecting on the last date the data set holds. Product names are matched ignoring spaces and case (GTXPro is GTX Pro).
/// </summary>
public static class CrmSampleFiles
{
    public const string PipelineId = "crm";

    public static readonly StageDefinition[] Stages = [new("prospecting", "Prospecting", 0.1m), new("engaging", "Engaging", 0.4m)];

    public sealed record Reading(List<IGrouping<string, HistoryRow>> Deals, List<RejectedRow> Unreadable, DateTimeOffset ProspectingDate, int ProspectingDeals, IReadOnlyDictionary<string, string> ResolvedProducts);

    public static Reading Read(string directory)
    {
        var teams = Rows(directory, "sales_teams.csv").ToDictionary(r => r.Fields[0], r => (Manager: r.Fields[1], Office: r.Fields[2]));
        var products = Rows(directory, "products.csv").ToDictionary(r => Key(r.Fields[0]), r => (Name: r.Fields[0], Price: decimal.Parse(r.Fields[2], CultureInfo.InvariantCulture)));
        var opportunities = Rows(directory, "sales_pipeline.csv").ToList();
        var lastDate = opportunities.SelectMany(o => new[] { o.Fields[5], o.Fields[6] }).Where(d => d.Length > 0).Max()!;
        var prospectingDate = Midnight(lastDate);
        var rows = new List<HistoryRow>();
        var unreadable = new List<RejectedRow>();
        var resolved = new Dictionary<string, string>();
        foreach (var (line, f) in opportunities)
        {
            var (id, agent, productName, account, stage, engage, close, value) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
            if (!products.TryGetValue(Key(productName), out var product))
            {
                unreadable.Add(new RejectedRow(line, id, "product", "unknown-product", $"Product '{productName}' is not in products.csv."));
                continue;
            }

            if (product.Name != productName)
            {
                resolved[productName] = product.Name;
            }

            var team = teams.TryGetValue(agent, out var t) ? t : (Manager: (string?)null, Office: (string?)null);
            var acct = account.Length == 0 ? null : account;
            rows.Add(new HistoryRow(line, id, engage.Length == 0 ? prospectingDate : Midnight(engage), engage.Length == 0 ? "prospecting" : "engaging",
                product.Price, agent, team.Manager, team.Office, product.Name, acct));
            if (stage is "Won" or "Lost")
            {
                rows.Add(new HistoryRow(line, id, Midnight(close), null, stage == "Won" ? decimal.Parse(value, CultureInfo.InvariantCulture) : null, null,
                    Outcome: stage.ToLowerInvariant()));
            }
        }

        return new Reading(rows.GroupBy(r => r.DealId).ToList(), unreadable, prospectingDate,
            opportunities.Count(o => o.Fields[5].Length == 0), resolved);
    }

    private static string Key(string product) => product.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static DateTimeOffset Midnight(string date) =>
        new(DateTime.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static IEnumerable<(int Line, string[] Fields)> Rows(string directory, string file)
    {
        using var reader = new StreamReader(Path.Combine(directory, file));
        foreach (var row in Csv.Read(reader).Skip(1))
        {
            yield return row;
        }
    }
}
