using System.Globalization;
using Funnel.Host.Storage;

namespace Funnel.Benchmarks;

/// <summary>
/// Every figure of the benchmark as a ratio to what PostgreSQL does alone in the same run. Usage: dotnet run -c Release
/// --project benchmarks/Funnel.Benchmarks -- [all|limits|commands|batch|messages|import|rebuild|reports|replay|live|dashboard|rebuild-kept, or several: reports,dashboard] [--deals N] [--seconds S]
/// [--connections C] [--calls K] [--import-rows R] [--compare M: the reports also at M deals, with each one's growth]
/// </summary>
internal static class BenchmarkMain
{
    public static async Task Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var figures = new List<Figure>();
        if (options.Runs("limits") || options.WritesAnything)
        {
            // Durable, as Funnel's own store runs: commits reach the disk before they are acknowledged.
        await using var postgres = await PrivatePostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"funnel-bench-{Guid.NewGuid():N}"[..30]), temporary: true, durable: true);
            var connectionString = postgres.ConnectionString();
            Console.WriteLine($"PostgreSQL's own limits on this server ({options.Connections} clients, {options.Duration.TotalSeconds:N0} s; COPY of {options.ImportRows:N0} rows) ...");
            var ceiling = new PostgresCeiling(
                await PostgresLimits.InsertTransactionsPerSecondAsync(connectionString, options.Connections, options.Duration),
                await PostgresLimits.CopyRowsPerSecondAsync(connectionString, options.ImportRows));
            await PostgresLimits.ExecuteAsync(connectionString, "drop schema bench_limits cascade");
            figures.Add(new Figure("PostgreSQL: one-row insert transactions", ceiling.InsertTransactionsPerSecond, "tx/s", null, "", $"{options.Connections} concurrent clients, prepared, autocommit"));
            figures.Add(new Figure("PostgreSQL: COPY (binary, event-shaped rows, 2 indexes)", ceiling.CopyRowsPerSecond, "rows/s", null, "", "one transaction, through Npgsql"));
            if (options.WritesAnything)
            {
                figures.AddRange(await WriteFigures.RunAsync(options, connectionString, ceiling));
            }
        }

        if (options.Names("rebuild-kept"))
        {
            await using var kept = await PrivatePostgres.StartAsync(BenchOptions.KeptStore(options.Deals), temporary: false);
            figures.Add(await WriteFigures.RebuildAsync(kept.ConnectionString()));
        }

        Console.WriteLine();
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores; the load generator runs on the same cores as the service and PostgreSQL.");
        Figure.Print(figures);

        if (options.Runs("reports") && options.Compare > 0)
        {
            var (smaller, larger) = await ReportFigures.CompareAsync(options.Compare, options.Deals, options.Calls, replay: options.Runs("replay"));
            ReportFigures.PrintGrowth(options.Compare, smaller, options.Deals, larger);
        }
        else if (options.Runs("reports") || options.Runs("replay") || options.Runs("live"))
        {
            await ReportFigures.RunAsync(options.Deals, options.Calls, timeReports: options.Runs("reports"), replay: options.Runs("replay"), live: options.Runs("live"));
        }

        if (options.Names("dashboard"))
        {
            await DashboardFigures.RunAsync(options.Deals, options.Calls);
        }

    }
}

/// <summary>What PostgreSQL did alone in this run: the ceilings of the write figures.</summary>
public sealed record PostgresCeiling(double InsertTransactionsPerSecond, double CopyRowsPerSecond);

public sealed record BenchOptions(string Figure, int Deals, TimeSpan Duration, int Connections, int Calls, int ImportRows, int Compare)
{
    private static readonly string[] Writes = ["commands", "batch", "messages", "import", "rebuild"];

    /// <summary>Whether the figure is asked for: "all", or a comma-separated list of figures.</summary>
    public bool Runs(string figure) => Figure == "all" || Names(figure);

    /// <summary>Whether the figure is named (those that need a store kept by an earlier run are never part of "all").</summary>
    public bool Names(string figure) => Figure.Split(',').Contains(figure);

    public bool WritesAnything => Writes.Any(Runs);

    /// <summary>Where the report figures keep their loaded stores between runs (FUNNEL_BENCH_DATA); null, unset or empty, to throw them away.</summary>
    public static string? KeptData => Environment.GetEnvironmentVariable("FUNNEL_BENCH_DATA") is { Length: > 0 } directory ? directory : null;

    /// <summary>Where the report figures keep their store of <paramref name="deals"/> deals (<see cref="KeptData"/>), for the figures that read it.</summary>
    public static string KeptStore(int deals) =>
        Path.Combine(KeptData
            ?? throw new InvalidOperationException("This figure reads a store the report figures loaded: set FUNNEL_BENCH_DATA and run `reports` first."), $"{deals}-deals");

    public static BenchOptions Parse(string[] args)
    {
        string? Flag(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Number(string name, int fallback) => Flag(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var figure = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? "all";
        return new BenchOptions(figure, Number("--deals", 100_000), TimeSpan.FromSeconds(Number("--seconds", 20)), Number("--connections", 32), Number("--calls", 20), Number("--import-rows", 300_000), Number("--compare", 0));
    }
}
