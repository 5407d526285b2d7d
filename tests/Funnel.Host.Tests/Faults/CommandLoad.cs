using System.Collections.Concurrent;
using System.Net.Http.Json;
using Npgsql;

namespace Funnel.Host.Tests.Faults;

/// <summary>
/// Captures and quotes deals, each under its own Idempotency-Key, from several writers while faults happen; remembers
/// which commands were acknowledged and which got no answer, retries the latter, then counts what the store holds.
/// </summary>
public sealed class CommandLoad(string pipelineId)
{
    private readonly ConcurrentDictionary<string, bool> acknowledged = new();
    private readonly ConcurrentQueue<(string Url, object Body, string Key)> unanswered = new();

    public int Acknowledged => acknowledged.Count;

    public int Attempted { get; private set; }

    /// <summary>Deals <paramref name="first"/> onward, until <paramref name="until"/> is cancelled.</summary>
    public async Task RunAsync(Func<HttpClient> client, int first, int writers, CancellationToken until)
    {
        var next = first - 1;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            while (!until.IsCancellationRequested)
            {
                var deal = $"L-{Interlocked.Increment(ref next)}";
                foreach (var command in Commands(deal))
                {
                    if (!await SendAsync(client(), command))
                    {
                        unanswered.Enqueue(command);
                    }
                }
            }
        }));
        Attempted = next - first + 1;
    }

    /// <summary>Sends every unanswered command again, under its key, until each is acknowledged (within the deadline).</summary>
    public async Task RetryUnansweredAsync(HttpClient client, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (unanswered.TryDequeue(out var command))
        {
            while (!await SendAsync(client, command))
            {
                Assert.True(DateTime.UtcNow < deadline, $"{command.Url} ({command.Key}) was still refused after {within}");
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Every deal attempted holds exactly one capture and one quote: nothing acknowledged was lost, nothing stored twice.</summary>
    public async Task AssertExactlyOnceAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select stream_id, count(*) filter (where type = 'deal_captured'), count(*) filter (where type = 'quote_sent')
            from funnel.mt_events where stream_id like 'L-%' group by stream_id
            """, connection);
        var counts = new Dictionary<string, (long Captures, long Quotes)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        foreach (var key in acknowledged.Keys)
        {
            var deal = key[2..];
            Assert.True(counts.TryGetValue(deal, out var held), $"acknowledged {key} is missing");
            Assert.Equal((1L, 1L), held);
        }

        Assert.All(counts.Values, c => Assert.Equal((1L, 1L), c));
    }

    private (string Url, object Body, string Key)[] Commands(string deal) =>
    [
        ("/api/deals", new { dealId = deal, pipelineId, name = deal, owner = "ann", amount = 100m }, $"c-{deal}"),
        ($"/api/deals/{deal}/quote", new { amount = 120m, quoteId = "Q" }, $"q-{deal}"),
    ];

    private async Task<bool> SendAsync(HttpClient client, (string Url, object Body, string Key) command)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, command.Url) { Content = JsonContent.Create(command.Body) };
            request.Headers.Add("Idempotency-Key", command.Key);
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status is < 500 or 503, $"{command.Url}: {status} {await response.Content.ReadAsStringAsync()}");
            if (response.IsSuccessStatusCode)
            {
                acknowledged[command.Key] = true;
                return true;
            }

            return false;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
