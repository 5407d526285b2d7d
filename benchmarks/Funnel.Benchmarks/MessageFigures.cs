using System.Diagnostics;
using Funnel.Domain.Deals;
using Funnel.Host.Access;
using Funnel.Host.Deals.Batches;
using Funnel.Host.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;
using Wolverine.Postgresql;
using JsonSerializerOptions = System.Text.Json.JsonSerializerOptions;

namespace Funnel.Benchmarks;

/// <summary>
/// Batches as another .NET service sends them: <see cref="DealCommandBatch"/> messages from a Wolverine sender of its own
/// (its own envelope tables) into the durable PostgreSQL queue the service listens to, timed until every event is stored.
/// </summary>
public static class MessageFigures
{
    private const int BatchSize = 1000;

    public static async Task<Figure> RunAsync(string connectionString, string key, int batches, PostgresCeiling ceiling)
    {
        using var sender = await Microsoft.Extensions.Hosting.Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseWolverine(options =>
            {
                options.ApplicationAssembly = typeof(MessageFigures).Assembly;
                options.Durability.Mode = DurabilityMode.Solo;
                options.UsePostgresqlPersistenceAndTransport(connectionString, "bench_sender");
                options.PublishMessage<DealCommandBatch>().ToPostgresqlQueue(MessagingConfiguration.CommandQueue);
            })
            .StartAsync();
        var json = new JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var delivery = new DeliveryOptions().WithHeader(MessageAccess.KeyHeader, key);

        var watch = Stopwatch.StartNew();
        var bus = sender.Services.GetRequiredService<IMessageBus>();
        for (var b = 0; b < batches; b++)
        {
            var captures = Enumerable.Range(0, BatchSize).Select(n => (object)new CaptureDeal($"msg-{b}-{n}", "sales", "Bench", "Ada Park", 1000 + n)).ToArray();
            await bus.SendAsync(DealCommandBatch.Of(json, captures), delivery);
        }

        var sent = watch.Elapsed;
        var expected = (long)batches * BatchSize;
        var stored = 0L;
        while (stored < expected && watch.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(250);
            stored = await StoredAsync(connectionString);
        }

        await sender.StopAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        return new Figure($"DealCommandBatch messages ({batches} × {BatchSize:N0} captures, durable queue)", stored / seconds, "events/s", ceiling.CopyRowsPerSecond, "≥ 0.5 × COPY",
            $"sent in {sent.TotalSeconds:F1} s, all stored after {seconds:F1} s{(stored < expected ? $"; ONLY {stored:N0} of {expected:N0} STORED" : "")}");
    }

    private static async Task<long> StoredAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from funnel.mt_events where stream_id like 'msg-%'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
