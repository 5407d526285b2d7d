using System.Globalization;

namespace Funnel.Host.Tests.Crm;

/// <summary>The public CRM sample data set (../shared/data/crm-sales-opportunities), read as plain CSV rows.</summary>
public sealed record Opportunity(string Id, string Agent, string Product, string? Account, string Stage, DateOnly? EngageDate, DateOnly? CloseDate, decimal? CloseValue);

public static class CrmSample
{
    public static string Directory { get; } = Locate();

    public static IReadOnlyList<Opportunity> Opportunities() =>
        Rows("sales_pipeline.csv").Select(r => new Opportunity(
            r[0], r[1], r[2], r[3].Length == 0 ? null : r[3], r[4], Date(r[5]), Date(r[6]),
            r[7].Length == 0 ? null : decimal.Parse(r[7], CultureInfo.InvariantCulture))).ToList();

    /// <summary>sales_agent -> (manager, regional_office).</summary>
    public static IReadOnlyDictionary<string, (string Manager, string Office)> Teams() =>
        Rows("sales_teams.csv").ToDictionary(r => r[0], r => (r[1], r[2]));

    /// <summary>product -> list price, keyed without spaces: the pipeline spells "GTX Pro" as "GTXPro".</summary>
    public static IReadOnlyDictionary<string, decimal> ListPrices() =>
        Rows("products.csv").ToDictionary(r => Key(r[0]), r => decimal.Parse(r[2], CultureInfo.InvariantCulture));

    public static string Key(string product) => product.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateOnly? Date(string text) => text.Length == 0 ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<string[]> Rows(string file) =>
        File.ReadLines(Path.Combine(Directory, file)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Funnel.sln")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "crm-sales-opportunities"));
                return System.IO.Directory.Exists(data) ? data : throw new DirectoryNotFoundException($"The CRM sample data set is not at {data} (../shared beside the repository).");
            }
        }

        throw new DirectoryNotFoundException("Funnel.sln not found above the test binaries.");
    }
}
