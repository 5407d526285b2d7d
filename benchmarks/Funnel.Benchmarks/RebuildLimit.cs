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
        var events = await PostgresLimits.ScalarAsync(connection, $"select count(*) from {StoreTables.Events}");
        var read = Stopwatch.StartNew();
        await using (var source = await connection.BeginRawBinaryCopyAsync(
            $"copy (select data, type, mt_dotnet_type, seq_id, id, stream_id, version, timestamp, tenant_id from {StoreTables.Events} order by seq_id) to stdout (format binary)"))
        {
            await source.CopyToAsync(Stream.Null);
        }

        read.Stop();
        await TimelineRowFiles.CreateCopiesAsync(connectionString, Schema);
        try
        {
            using var rows = await TimelineRowFiles.ExportAsync(connection);
            var indexed = await rows.WriteAsync(connection, Schema);
            // Again into emptied copies, without the indexes only reports read, those built after the rows (dropped while
            // their tables are full, so that they are built the largest first, as the rebuild's are).
            var dropped = await ReportIndexes.DropAsync(connection, new TimelineTableSet(Schema).All, CancellationToken.None);
            await PostgresLimits.ExecuteAsync(connectionString, $"truncate {string.Join(", ", TimelineRowFiles.Tables.Select(t => $"{Schema}.{t}"))}");
            var later = Stopwatch.StartNew();
            await rows.WriteAsync(connection, Schema);
            await ReportIndexes.BuildAsync(() => new NpgsqlConnection(connectionString), dropped, CancellationToken.None);
            later.Stop();
            return new Measured(events, rows.Rows, read.Elapsed.TotalSeconds, indexed, later.Elapsed.TotalSeconds);
        }
        finally
        {
            await PostgresLimits.ExecuteAsync(connectionString, $"drop schema {Schema} cascade");
        }
    }
}
