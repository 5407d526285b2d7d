using System.Diagnostics;
using System.Net;

namespace Funnel.Benchmarks;

/// <summary>What a closed-loop load run measured: requests per second, latency percentiles, and the client's own CPU share.</summary>
public sealed record LoadResult(long Requests, long Failures, double PerSecond, double P50Ms, double P99Ms, double ClientCpuShare, string? FirstFailure);

/// <summary>
/// A closed-loop HTTP load generator (as wrk: each connection sends its next request when the last is answered). It runs
/// in this process on the same two cores as the service, and says how much of them it took itself.
/// </summary>
public static class HttpLoad
{
    public static async Task<LoadResult> RunAsync(Uri baseAddress, string key, int connections, TimeSpan duration, Func<long, HttpRequestMessage> request)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var next = 0L;
        var (failures, firstFailure) = (0L, (string?)null);
        var latencies = new List<double>[connections];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (watch.Elapsed < duration)
            {
                using var message = request(Interlocked.Increment(ref next));
                var started = watch.Elapsed.TotalMilliseconds;
                using var response = await http.SendAsync(message);
                mine.Add(watch.Elapsed.TotalMilliseconds - started);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
                {
                    Interlocked.Increment(ref failures);
                    firstFailure ??= $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
            }
        }));
        var elapsed = watch.Elapsed;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / (elapsed.TotalSeconds * Environment.ProcessorCount);
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new LoadResult(all.Count, failures, all.Count / elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)], cpu, firstFailure);
    }
}
