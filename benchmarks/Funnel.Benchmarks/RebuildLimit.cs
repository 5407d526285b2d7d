using System.Diagnostics;
using Funnel.Projections;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Benchmarks;

/// <summary>
/// The least PostgreSQL work a rebuild of the timeline needs, measured on the store it has just rebuilt: reading every
/// event's columns the daemon reads (binary COPY out) and writing every read-model row the rebuild wrote (binary COPY
/// into empty copies of its tables in one transaction), with every index kept, or with the indexes only reports read
/// built after the rows (on two connections), as Funnel's rebuild does; the lesser of the two. A rebuild's rate is a
/// ratio of this.
/// </summary>
public static class RebuildLimit
{
    private const string Schema = "bench_rebuild_limit";

    /// <param name="IndexedSeconds">Writing the rows with every index kept.</param>
    /// <param name="LaterSeconds">Writing them without the report indexes, then building those.</param>
    public sealed record Measured(long Events, long Rows, double ReadSeconds, double IndexedSeconds, double LaterSeconds)
    {
        public double WriteSeconds => Math.Min(IndexedSeconds, LaterSeconds);

        public double EventsPerSecond => Events / (ReadSeconds + WriteSeconds);
    }

    public static async Task<Measured> MeasureAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var events = await ScalarAsync(connection, $"select count(*) from {StoreTables.Events}");
        var read = Stopwatch.StartNew();
        await using (var source = await connection.BeginRawBinaryCopyAsync(
            $"copy (select data, type, mt_dotnet_type, seq_id, id, stream_id, version, timestamp, tenant_id from {StoreTables.Events} order by seq_id) to stdout (format binary)"))
        {
            await source.CopyToAsync(Stream.Null);
        }

        read.Stop();
        var tables = TimelineTables.Live.All.Select(t => t.Identifier.Name).ToList();
        await PostgresLimits.ExecuteAsync(connectionString, $"drop schema if exists {Schema} cascade; create schema {Schema}; " +
            string.Join(" ", tables.Select(t => $"create table {Schema}.{t} (like {TimelineTables.Schema}.{t} including all);")));
        var files = new Dictionary<string, string>();
        long rows = 0;
        try
        {
            foreach (var table in tables)
            {
                rows += await ScalarAsync(connection, $"select count(*) from {TimelineTables.Schema}.{table}");
                files[table] = Path.Combine(Path.GetTempPath(), $"funnel-rebuild-limit-{Guid.NewGuid():N}");
                await using var file = File.Create(files[table]);
                await using var source = await connection.BeginRawBinaryCopyAsync($"copy (select * from {TimelineTables.Schema}.{table}) to stdout (format binary)");
                await source.CopyToAsync(file);
            }

            var indexed = await WriteAsync(connection, tables, files);
            // Again into emptied copies, without the indexes only reports read, those built after the rows.
            await PostgresLimits.ExecuteAsync(connectionString, $"truncate {string.Join(", ", tables.Select(t => $"{Schema}.{t}"))}");
            var dropped = await ReportIndexes.DropAsync(connection, new TimelineTableSet(Schema).All, CancellationToken.None);
            var later = Stopwatch.StartNew();
            await WriteAsync(connection, tables, files);
            await ReportIndexes.BuildAsync(() => new NpgsqlConnection(connectionString), dropped, CancellationToken.None);
            later.Stop();
            return new Measured(events, rows, read.Elapsed.TotalSeconds, indexed, later.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var file in files.Values)
            {
                File.Delete(file);
            }

            await PostgresLimits.ExecuteAsync(connectionString, $"drop schema {Schema} cascade");
        }
    }

    /// <summary>COPY of every table's rows from its file, in one transaction; returns the seconds it took.</summary>
    private static async Task<double> WriteAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, IReadOnlyDictionary<string, string> files)
    {
        var write = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var table in tables)
        {
            await using var file = File.OpenRead(files[table]);
            await using var target = await connection.BeginRawBinaryCopyAsync($"copy {Schema}.{table} from stdin (format binary)");
            await file.CopyToAsync(target);
        }

        await transaction.CommitAsync();
        return write.Elapsed.TotalSeconds;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
