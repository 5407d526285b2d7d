using System.Globalization;

namespace Funnel.Benchmarks;

/// <summary>One line of the benchmark's table: Funnel's figure, the limit it is a ratio of (measured in the same run), the goal.</summary>
public sealed record Figure(string Name, double Funnel, string Unit, double? Limit, string Goal, string Note = "")
{
    public string Ratio => Limit is { } limit ? (Funnel / limit).ToString("F2", CultureInfo.InvariantCulture) : "";

    public static void Print(IEnumerable<Figure> figures)
    {
        Console.WriteLine("| figure | Funnel | limit (PostgreSQL, same run) | ratio | goal | notes |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var f in figures)
        {
            var limit = f.Limit is { } l ? l.ToString("N0", CultureInfo.InvariantCulture) : "";
            Console.WriteLine($"| {f.Name} | {f.Funnel.ToString("N0", CultureInfo.InvariantCulture)} {f.Unit} | {limit} | {f.Ratio} | {f.Goal} | {f.Note} |");
        }
    }
}
