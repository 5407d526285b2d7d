using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Funnel.Host.Tests.Faults;

/// <summary>Three hosts on one PostgreSQL (not solo): one runs the projection, and another takes over when it dies.</summary>
[Collection(ProcessFaultsCollection.Name)]
public sealed class ClusterTests(DurablePostgres postgres, ITestOutputHelper output)
{
    private const string RunningHere = "running on this node";

    [Fact]
    public async Task three_nodes_keep_every_command_once_and_another_node_takes_the_projection_over_when_its_runner_is_killed()
    {
        var settings = new Dictionary<string, string> { ["ConnectionStrings:Funnel"] = await postgres.CreateDatabaseAsync("cluster"), ["Funnel:Solo"] = "false" };
        var nodes = new List<HostProcess>();
        try
        {
            // One after the other: the first applies the schema, the others find it in place.
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await HostProcess.StartAsync(settings));
            }

            (await nodes[0].Http.PutAsJsonAsync("/api/pipelines/cluster", new { name = "Cluster", stages = new[] { new { id = "a", name = "A", probability = 0.5m } } })).EnsureSuccessStatusCode();
            var leader = await WaitForOneRunnerAsync(nodes, TimeSpan.FromSeconds(60));

            // Commands spread over the three nodes; the node that runs the projection dies under that load.
            var load = new CommandLoad("cluster");
            var live = nodes.ToArray();
            var turn = 0;
            HttpClient Next() { var now = Volatile.Read(ref live); return now[(int)((uint)Interlocked.Increment(ref turn) % now.Length)].Http; }
            TimeSpan takeover;
            using (var loadTime = new CancellationTokenSource(TimeSpan.FromSeconds(6)))
            {
                var running = load.RunAsync(Next, 1, 8, loadTime.Token);
                await Task.Delay(TimeSpan.FromSeconds(2));
                await leader.KillAsync();
                var killed = Stopwatch.StartNew();
                Volatile.Write(ref live, nodes.Where(n => n != leader).ToArray());
                var successor = await WaitForOneRunnerAsync(live, TimeSpan.FromSeconds(60));
                takeover = killed.Elapsed;
                Assert.NotSame(leader, successor);
                await running;
            }

            output.WriteLine($"takeover after {takeover.TotalSeconds:N1} s; {load.Acknowledged} commands acknowledged");
            if (Environment.GetEnvironmentVariable("FUNNEL_CHAOS_TAKEOVER") is { Length: > 0 } tally)
            {
                await File.AppendAllTextAsync(tally, $"{takeover.TotalSeconds:F1}\n");
            }

            await load.RetryUnansweredAsync(live[0].Http, TimeSpan.FromSeconds(30));
            await load.AssertExactlyOnceAsync(settings["ConnectionStrings:Funnel"]);
            await ProcessFaultTests.AssertReadModelsCatchUpAndVerifyAsync(live[1].Http, settings["ConnectionStrings:Funnel"]);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until exactly one live node runs the projection and every other says it is a standby.</summary>
    private static async Task<HostProcess> WaitForOneRunnerAsync(IReadOnlyList<HostProcess> nodes, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var states = await Task.WhenAll(nodes.Select(async n => (Node: n, Description: await ProjectionStateAsync(n.Http))));
            var runners = states.Where(s => s.Description == RunningHere).ToList();
            Assert.True(runners.Count <= 1, $"{runners.Count} nodes run the projection at once");
            if (runners.Count == 1)
            {
                Assert.All(states.Where(s => s.Node != runners[0].Node), s => Assert.StartsWith("standby", s.Description));
                return runners[0].Node;
            }

            Assert.True(deadline.Elapsed < within, $"no node ran the projection within {within}: {string.Join(", ", states.Select(s => s.Description))}");
            await Task.Delay(200);
        }
    }

    private static async Task<string> ProjectionStateAsync(HttpClient http)
    {
        var ready = await http.GetAsync("/health/ready");
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("checks").GetProperty("projections").GetProperty("description").GetString()!;
    }
}
