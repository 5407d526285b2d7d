using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Benchmarks;

/// <summary>
/// Every row of a store's timeline tables, exported by binary COPY to a file a table, to be written again by binary COPY
/// into empty copies of the tables: what the least PostgreSQL work for those rows is measured with.
/// </summary>
internal sealed class TimelineRowFiles : IDisposable
{
    private readonly Dictionary<string, string> files;

    private TimelineRowFiles(Dictionary<string, string> files, long rows)
    {
        this.files = files;
        Rows = rows;
    }

    /// <summary>The timeline's tables, by name.</summary>
    public static IReadOnlyList<string> Tables { get; } = [.. TimelineTables.Live.All.Select(t => t.Identifier.Name)];

    public long Rows { get; }

    public static async Task<TimelineRowFiles> ExportAsync(NpgsqlConnection connection)
    {
        var files = new Dictionary<string, string>();
        long rows = 0;
        try
        {
            foreach (var table in Tables)
            {
                rows += await PostgresLimits.ScalarAsync(connection, $"select count(*) from {TimelineTables.Schema}.{table}");

                files[table] = Path.Combine(Path.GetTempPath(), $"funnel-timeline-rows-{Guid.NewGuid():N}");
                await using var file = File.Create(files[table]);
                await using var source = await connection.BeginRawBinaryCopyAsync($"copy (select * from {TimelineTables.Schema}.{table}) to stdout (format binary)");
                await source.CopyToAsync(file);
            }
        }
        catch
        {
            new TimelineRowFiles(files, rows).Dispose();
            throw;
        }

        return new TimelineRowFiles(files, rows);
    }

    /// <summary>Creates <paramref name="schema"/> afresh with an empty copy of each table, every index included.</summary>
    public static Task CreateCopiesAsync(string connectionString, string schema) =>
        PostgresLimits.ExecuteAsync(connectionString, $"drop schema if exists {schema} cascade; create schema {schema}; " +
            string.Join(" ", Tables.Select(t => $"create table {schema}.{t} (like {TimelineTables.Schema}.{t} including all);")));

    /// <summary>COPY of every table's rows into its copy in <paramref name="schema"/>, in one transaction; returns the seconds it took.</summary>
    public async Task<double> WriteAsync(NpgsqlConnection connection, string schema)
    {
        var write = System.Diagnostics.Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var table in Tables)
        {
            await using var file = File.OpenRead(files[table]);
            await using var target = await connection.BeginRawBinaryCopyAsync($"copy {schema}.{table} from stdin (format binary)");
            await file.CopyToAsync(target);
        }

        await transaction.CommitAsync();
        return write.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        foreach (var file in files.Values)
        {
            File.Delete(file);
        }
    }
}
