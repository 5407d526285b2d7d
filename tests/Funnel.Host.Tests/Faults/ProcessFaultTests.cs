using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Funnel.Host.Storage;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Host.Verifying;
using Npgsql;

namespace Funnel.Host.Tests.Faults;

/// <summary>A PostgreSQL of its own that commits to disk before it acknowledges, so its crashes are real crashes.</summary>
public sealed class DurablePostgres : IAsyncLifetime
{
    public PrivatePostgres Server { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await PrivatePostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"funnel-faults-{Guid.NewGuid():N}"[..30]), temporary: true, durable: true);
        ConnectionString = await CreateDatabaseAsync("faults");
    }

    /// <summary>A database of its own on the same server, for a test whose events must not mix with the others'.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        // Unpooled: a pooled connection may predate a crash another test caused.
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server.AdminConnectionString()) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"create database {name} owner {Server.Credentials.ServiceUser}", connection).ExecuteNonQueryAsync();
        }

        return Server.ConnectionString(name);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ProcessFaultsCollection : ICollectionFixture<DurablePostgres>
{
    public const string Name = "process faults";
}

/// <summary>Real processes killed for real: the host (SIGKILL, SIGTERM) and PostgreSQL's postmaster (SIGKILL, stop).</summary>
[Collection(ProcessFaultsCollection.Name)]
public sealed class ProcessFaultTests(DurablePostgres postgres, Xunit.Abstractions.ITestOutputHelper output)
{
    private Dictionary<string, string> Settings => new() { ["ConnectionStrings:Funnel"] = postgres.ConnectionString, ["Funnel:Solo"] = "true" };

    [Fact]
    public async Task acknowledged_commands_survive_a_host_kill_and_a_postmaster_kill_exactly_once_and_verify_is_green()
    {
        var host = await HostProcess.StartAsync(Settings);
        (await host.Http.PutAsJsonAsync("/api/pipelines/crash", new { name = "Crash", stages = new[] { new { id = "a", name = "A", probability = 0.5m } } })).EnsureSuccessStatusCode();
        var load = new CommandLoad("crash");

        // Round 1: the host dies under load.
        using (var loadTime = new CancellationTokenSource(TimeSpan.FromSeconds(4)))
        {
            var running = load.RunAsync(() => host.Http, 1, 8, loadTime.Token);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await host.KillAsync();
            await running;
        }

        await using var second = await HostProcess.StartAsync(Settings);
        await load.RetryUnansweredAsync(second.Http, TimeSpan.FromSeconds(30));
        var afterHostKill = load.Acknowledged;

        // Round 2: PostgreSQL's postmaster dies under load, and comes back.
        using (var loadTime = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            var running = load.RunAsync(() => second.Http, 100_000, 8, loadTime.Token);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await postgres.Server.CrashAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await postgres.Server.LaunchAsync();
            await running;
        }

        await load.RetryUnansweredAsync(second.Http, TimeSpan.FromSeconds(30));
        Assert.True(afterHostKill > 0 && load.Acknowledged > afterHostKill);
        await load.AssertExactlyOnceAsync(postgres.ConnectionString);
        if (Environment.GetEnvironmentVariable("FUNNEL_CHAOS_TALLY") is { Length: > 0 } tally)
        {
            await File.AppendAllTextAsync(tally, $"{load.Acknowledged} {afterHostKill}\n");
        }

        await AssertReadModelsCatchUpAndVerifyAsync(second.Http, postgres.ConnectionString);
    }

    [Fact]
    public async Task while_postgres_is_down_commands_and_reports_answer_503_and_after_it_returns_everything_resumes()
    {
        await using var host = await HostProcess.StartAsync(Settings);
        (await host.Http.PutAsJsonAsync("/api/pipelines/outage", new { name = "Outage", stages = new[] { new { id = "a", name = "A", probability = 0.5m } } })).EnsureSuccessStatusCode();

        await postgres.Server.StopAsync();
        var down = Stopwatch.StartNew();
        while (down.Elapsed < TimeSpan.FromSeconds(30))
        {
            var asked = Stopwatch.StartNew();
            var command = await host.Http.PostAsJsonAsync("/api/deals", new { dealId = $"O-{down.ElapsedMilliseconds}", pipelineId = "outage", name = "O", owner = "ann", amount = 1m });
            var report = await host.Http.GetAsync("/api/funnel/outage/snapshot");
            Assert.True(asked.Elapsed < TimeSpan.FromSeconds(12), $"answered after {asked.Elapsed}");
            foreach (var response in new[] { command, report })
            {
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "store", "store-unavailable");
                Assert.NotNull(response.Headers.RetryAfter);
            }

            var ready = await (await host.Http.GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Unhealthy", ready.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        await postgres.Server.LaunchAsync();
        var back = Stopwatch.StartNew();
        while (!(await host.Http.PostAsJsonAsync("/api/deals", new { dealId = "O-BACK", pipelineId = "outage", name = "Back", owner = "bob", amount = 5m })).IsSuccessStatusCode)
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(10), "commands did not succeed within 10 s of PostgreSQL's return");
            await Task.Delay(250);
        }

        output.WriteLine($"commands back {back.Elapsed.TotalSeconds:N1} s after PostgreSQL's return");

        // The projection resumes without a host restart: the command after the outage reaches the read models.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var forecast = await host.Http.GetAsync("/api/funnel/outage/forecast?owner=bob");
            if (forecast.IsSuccessStatusCode && (await forecast.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("totalAmount").GetDecimal() == 5m)
            {
                break;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the projection did not resume");
            await Task.Delay(250);
        }

        output.WriteLine($"the projection had the command {deadline.Elapsed.TotalSeconds:N1} s after it was acknowledged");
    }

    [Fact]
    public async Task sigterm_finishes_in_flight_commands_then_stops_the_private_postgres()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"funnel-sigterm-{Guid.NewGuid():N}"[..30]);
        var settings = new Dictionary<string, string> { ["Funnel:DataDirectory"] = directory };
        try
        {
            var host = await HostProcess.StartAsync(settings);
            (await host.Http.PutAsJsonAsync("/api/pipelines/term", new { name = "Term", stages = new[] { new { id = "a", name = "A", probability = 0.5m } } })).EnsureSuccessStatusCode();
            var requests = Enumerable.Range(0, 40).Select(i => Capture(host.Http, $"S-{i}")).ToList();
            await Task.WhenAny(requests);
            Assert.True(await host.TerminateAsync(TimeSpan.FromSeconds(30)), "the host did not stop within 30 s of SIGTERM");
            Assert.Equal(0, host.ExitCode);
            var answered = (await Task.WhenAll(requests)).OfType<string>().ToList();
            Assert.NotEmpty(answered);
            Assert.False(File.Exists(Path.Combine(directory, "postmaster.pid")), "the private PostgreSQL still runs");

            // Every command that was answered is there when the service comes back on the same data.
            await using var again = await HostProcess.StartAsync(settings);
            foreach (var deal in answered)
            {
                Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync($"/api/deals/{deal}")).StatusCode);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The deal id when the capture was acknowledged; null when the stopping host no longer took it.</summary>
    private static async Task<string?> Capture(HttpClient http, string deal)
    {
        try
        {
            var response = await http.PostAsJsonAsync("/api/deals", new { dealId = deal, pipelineId = "term", name = deal, owner = "ann", amount = 1m });
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}");
            return response.IsSuccessStatusCode ? deal : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>The read models catch up by themselves (within a minute, never a negative lag) and match a rebuild from the events.</summary>
    internal static async Task AssertReadModelsCatchUpAndVerifyAsync(HttpClient http, string connectionString)
    {
        await WaitUntilUpToDateAsync(http, TimeSpan.FromSeconds(60));
        var verify = await new ReadModelVerifier(connectionString).VerifyAsync(new Progress<string>(), CancellationToken.None);
        Assert.True(verify.Identical, string.Join("; ", verify.Tables.Where(t => !t.Identical).Select(t => t.Table)));
    }

    private static async Task WaitUntilUpToDateAsync(HttpClient http, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ready = await http.GetAsync("/health/ready");
            var lag = (await ready.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("checks").GetProperty("lag").GetProperty("data");
            if (lag.GetProperty("upToDate").GetBoolean())
            {
                return;
            }

            Assert.True(deadline.Elapsed < within, $"the read models still lag {lag}");
            await Task.Delay(250);
        }
    }
}
