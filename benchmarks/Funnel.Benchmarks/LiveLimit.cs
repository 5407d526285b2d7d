using System.Diagnostics;
using Funnel.Host.Storage;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Funnel.Benchmarks;

/// <summary>
/// The least PostgreSQL work for a projection that keeps up with a load at full speed, measured in the run that loaded
/// and projected a store: a second new store loaded with the same demo at full speed, its daemon paused, while every row
/// the first store's projection wrote is written by binary COPY (one transaction, every index kept, as live tables keep
/// them) into empty copies of the tables on the same server. Unpaced, it may write rows before their events exist, so
/// it can only end sooner than a real projection could: if even it ends more than the lag goal after the last append,
/// that goal is out of reach on this machine, and a projection's rate over the load is a ratio of this one's.
/// </summary>
internal static class LiveLimit
{
    private const string Schema = "bench_live_limit";

    /// <param name="AppendedSeconds">From the first append to the last.</param>
    /// <param name="WrittenSeconds">From the first append to the rows' commit.</param>
    public sealed record Measured(long Events, double AppendedSeconds, double WrittenSeconds)
    {
        public double LagSeconds => WrittenSeconds - AppendedSeconds;

        /// <summary>Events kept up with a second, from the first append until both are done.</summary>
        public double EventsPerSecond => Events / Math.Max(AppendedSeconds, WrittenSeconds);
    }

    /// <param name="seed">Appends the demo to a store; returns how many events.</param>
    public static async Task<Measured> MeasureAsync(TimelineRowFiles rows, Func<IDocumentStore, Task<int>> seed)
    {
        await using var postgres = await PrivatePostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"funnel-bench-{Guid.NewGuid():N}"[..30]), temporary: true);
        await using var service = await ReportFigures.StartServiceAsync(postgres.ConnectionString());
        await service.Services.GetRequiredService<IProjectionCoordinator>().PauseAsync();
        await TimelineRowFiles.CreateCopiesAsync(postgres.ConnectionString(), Schema);
        await using var connection = new NpgsqlConnection(postgres.ConnectionString());
        await connection.OpenAsync();

        var clock = Stopwatch.StartNew();
        async Task<(int Events, double Seconds)> AppendAsync()
        {
            var events = await seed(service.Services.GetRequiredService<IDocumentStore>());
            return (events, clock.Elapsed.TotalSeconds);
        }

        async Task<double> WriteAsync()
        {
            await rows.WriteAsync(connection, Schema);
            return clock.Elapsed.TotalSeconds;
        }

        var appending = Task.Run(AppendAsync);
        var written = await Task.Run(WriteAsync);
        var (events, appended) = await appending;
        return new Measured(events, appended, written);
    }
}
