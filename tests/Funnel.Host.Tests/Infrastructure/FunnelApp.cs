using System.Net.Http.Json;
using System.Text.Json;
using Funnel.Domain.Access;
using Funnel.Host.Access;
using Funnel.Host.Tenancy;
using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Host.Tests.Infrastructure;

/// <summary>The real host, in process, on its own database of the test run's PostgreSQL. One per test collection.</summary>
public class FunnelApp : IAsyncLifetime
{
    private WebApplicationFactory<Program>? factory;

    public HttpClient Http { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public IServiceProvider Services => factory!.Services;

    /// <summary>The name of the key <see cref="Http"/> calls with: the actor of every event the tests cause.</summary>
    public const string KeyName = "test-app";

    public CreatedApiKey Key { get; private set; } = null!;

    /// <summary>What the service logged (warnings and above).</summary>
    public CapturedLogs Logs { get; } = new();

    private ApiKey keyDocument = null!;

    /// <summary>Settings of a fixture that needs the host configured otherwise.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>Tenants besides the default, created before the host starts (a service serves the tenants it started with).</summary>
    protected virtual IReadOnlyList<string> OtherTenants { get; } = [];

    /// <summary>A key holding every scope for each of <see cref="OtherTenants"/>, named "{tenant}-app".</summary>
    public Dictionary<string, CreatedApiKey> TenantKeys { get; } = [];

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        var connectionString = ConnectionString = await TestPostgres.CreateDatabaseAsync();

        // A service on a configured store requires a key: the tests call with one holding every scope.
        Key = await ApiKeyStore.CreateInAsync(connectionString, new CreateApiKey(KeyName, null, Scopes.All, CreateApiKey.MaxRequestsPerSecond));
        foreach (var tenant in OtherTenants)
        {
            await TenantRegistry.CreateInAsync(connectionString, tenant);
            TenantKeys[tenant] = await ApiKeyStore.CreateInAsync(connectionString, new CreateApiKey($"{tenant}-app", tenant, Scopes.All, CreateApiKey.MaxRequestsPerSecond));
        }

        // RunJasperFxCommands in Program only starts the host for WebApplicationFactory when told to.
        JasperFxEnvironment.AutoStartHost = true;
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Funnel", connectionString);
            host.UseSetting("Funnel:Solo", "true");
            host.UseSetting("Funnel:Demo:Seed", "false");
            // Small, so the demo and CRM scenarios also run the projection through letting its memory go and reloading.
            host.UseSetting("Funnel:CachedDeals", "100");
            // In process every call comes from one address: the tests' deliberate refusals must not use up each other's.
            host.UseSetting("Funnel:Auth:RefusalBurst", "100000");
            host.UseSetting("Funnel:Auth:RefusalLogSeconds", "0");
            host.UseEnvironment("Development");
            host.ConfigureServices(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs));
            foreach (var (key, value) in Settings)
            {
                host.UseSetting(key, value);
            }
        });
        Http = factory.CreateClient();
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key.Key);
        await Http.GetAsync("/api/pipelines/warm-up");
        await using var session = Store.QuerySession();
        keyDocument = (await session.LoadAsync<ApiKey>(ApiKey.IdOf(Tenants.Default, KeyName)))!;
    }

    /// <summary>How a message carries the tests' key (or another).</summary>
    public Wolverine.DeliveryOptions MessageKey(string? key = null) => new Wolverine.DeliveryOptions().WithHeader(MessageAccess.KeyHeader, key ?? Key.Key);

    /// <summary>A client of the same service that sends <paramref name="key"/> (none when null).</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = factory!.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }

    /// <summary>
    /// Deletes every event and document, so each test class starts from an empty store; the tests' key comes back. The
    /// daemon is paused meanwhile: a running shard would keep the position it had reached in the old store, ahead of
    /// the new store's first events, and wait there.
    /// </summary>
    public async Task ResetAsync()
    {
        var coordinator = Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        await coordinator.PauseAsync();
        await Store.Advanced.ResetAllData();
        await coordinator.ResumeAsync();
        await using var session = Store.LightweightSession();
        session.Store(keyDocument);
        await session.SaveChangesAsync();
    }

    public Task<HttpResponseMessage> PutPipelineAsync(string pipelineId, params (string Id, decimal Probability)[] stages) => PutPipelineAsync(Http, pipelineId, stages);

    /// <summary>Defines a pipeline through <paramref name="client"/> (a key of another tenant, say).</summary>
    public static async Task<HttpResponseMessage> PutPipelineAsync(HttpClient client, string pipelineId, params (string Id, decimal Probability)[] stages)
    {
        var response = await client.PutAsJsonAsync($"/api/pipelines/{pipelineId}", new
        {
            name = pipelineId,
            stages = stages.Select(s => new { id = s.Id, name = s.Id, probability = s.Probability }),
        });
        response.EnsureSuccessStatusCode();
        return response;
    }

    /// <summary>The classic sales-funnel model's stages and win probabilities.</summary>
    public Task<HttpResponseMessage> PutClassicPipelineAsync(string pipelineId = "sales") =>
        PutPipelineAsync(pipelineId, ("validate", 0.1m), ("develop", 0.3m), ("propose", 0.5m), ("close", 0.8m));

    /// <summary>Every event in the store, of every stream and every tenant: what "nothing stored" is measured by.</summary>
    public async Task<long> CountEventsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from funnel.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits for the async daemon to catch up with the store: never a sleep.</summary>
    public Task CatchUpAsync() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    public Task<JsonElement> GetJsonAsync(string url) => GetJsonAsync(Http, url);

    /// <summary>A successful answer's JSON, through <paramref name="client"/>.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public async Task<IReadOnlyList<object>> EventsOfAsync(string streamId)
    {
        await using var session = Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId);
        return events.Select(e => e.Data).ToList();
    }
}

[CollectionDefinition(Name)]
public sealed class FunnelAppCollection : ICollectionFixture<FunnelApp>
{
    public const string Name = "funnel app";
}

/// <summary>Report tests: their own host and database, no resets (the daemon keeps running); each scenario uses its own pipeline.</summary>
[CollectionDefinition(Name)]
public sealed class ReportsCollection : ICollectionFixture<FunnelApp>
{
    public const string Name = "reports";
}
